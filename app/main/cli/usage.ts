/** The help texts of `ocr-desk` and its sub-commands. */

/**
 * The words that start a sub-command rather than an OCR run (`ocr-desk <files or folders...>`). Here, in a module
 * that imports nothing, so that the CLI's entry can tell a batch from its first argument before loading the rest.
 */
export const SUB_COMMANDS = ['help', 'watch', 'search', 'serve', 'models', 'keys', 'purge'] as const;
export type SubCommand = (typeof SUB_COMMANDS)[number];

const JOB_OPTIONS = `  -f, --format <list>        any of txt,json,hocr,alto,md,csv,pdf [json,txt] OCR_DESK_FORMAT
  -l, --lang <list>          languages on the pages: en, zh or en,zh [en]   OCR_DESK_LANG
      --no-rotate            do not detect rotated pages                    OCR_DESK_NO_ROTATE=1
      --pdf-mode <mode>      PDF pages with text: skip, force, redo [skip]  OCR_DESK_PDF_MODE
      --pdf-dpi <n>          PDF rendering resolution  [300]                OCR_DESK_PDF_DPI
      --password <text>      password of encrypted PDFs                     OCR_DESK_PASSWORD
      --pdfa                 write the searchable PDF as PDF/A-2b           OCR_DESK_PDFA=1
      --max-pixels <n>       refuse larger images  [100000000]              OCR_DESK_MAX_PIXELS`;

const SERVICE_OPTIONS = `  -w, --workers <n>          worker processes  [CPU cores]                  OCR_DESK_WORKERS
  -t, --threads <n>          threads per worker  [cores ÷ workers]          OCR_DESK_THREADS
      --page-timeout-ms <n>  stop a page's worker after this  [120000]      OCR_DESK_PAGE_TIMEOUT_MS
      --gpu                  run the models on the GPU (WebGPU) if it works OCR_DESK_GPU=1
      --models <dir>         model pack folder  [bundled pack]              OCR_DESK_MODELS
      --data-dir <dir>       job store, caches, uploads [platform folder]   OCR_DESK_DATA_DIR`;

export const USAGE = `Usage:
  ocr-desk <files or folders...> --out <dir> [options]   OCR files and folders (a job in the store)
  ocr-desk watch <folder> --out <dir> [options]           hot folder: OCR every file that lands in <folder>
  ocr-desk serve [--port n] [--listen address]            the HTTP API and the app in a browser (127.0.0.1, or a LAN node)
  ocr-desk search "<words>"                               find processed documents by their words
  ocr-desk keys create|list|revoke                        API keys for a LAN node
  ocr-desk purge --older-than-days n | --everything --yes delete old documents (or all) with their files
  ocr-desk models verify [dir] | import <folder>          check or install a model pack
  ocr-desk help [command]                                 help on one command

Options (each also read from the environment variable shown; a flag wins):
  -o, --out <dir>            output folder (mirrors the input tree)         OCR_DESK_OUT
${JOB_OPTIONS}
${SERVICE_OPTIONS}
      --force                recognise again files recognised before        OCR_DESK_FORCE=1
      --summary-json <file>  write a machine-readable summary               OCR_DESK_SUMMARY_JSON
  -h, --help                 show this help
      --version              show the version

A batch is a job in the data folder's store: interrupted (Ctrl-C, a crash), the same command resumes it where it
stopped; files recognised before with the same settings are reused unless --force. While another OCR Desk (serve,
watch, the app) uses the data folder, the batch is handed to it.

Exit codes: 0 all files done, 1 some files failed, 2 usage or model error; stopped by Ctrl-C 130, SIGTERM 143,
SIGHUP 129 (the batch stays resumable).
`;

export const WATCH_USAGE = `Usage:
  ocr-desk watch <folder> --out <dir> [options]   OCR every file that lands in <folder>, once

Watch options (each also read from the environment variable shown; a flag wins):
  -o, --out <dir>            output folder (mirrors the watched tree)       OCR_DESK_OUT
${JOB_OPTIONS}
      --no-recursive         ignore subfolders                              OCR_DESK_NO_RECURSIVE=1
      --include <globs>      only files matching (comma-separated)          OCR_DESK_INCLUDE
      --exclude <globs>      skip files matching (comma-separated)          OCR_DESK_EXCLUDE
      --originals <what>     after success: keep, move (to done/), delete   OCR_DESK_ORIGINALS
      --stable-ms <ms>       unchanged this long = complete  [2000]         OCR_DESK_STABLE_MS
      --poll <ms>            poll instead of notifications (network shares) OCR_DESK_POLL
      --rescan-ms <ms>       full rescan interval  [30000]                  OCR_DESK_RESCAN_MS
      --once                 exit when every file present is done
${SERVICE_OPTIONS}
Failed files move to <folder>/failed/ with a <name>.error.txt report; move one back (or run \`retry\` in the app)
to try it again. When the output folder cannot be written, files stay where they are and are retried.
`;

export const SEARCH_USAGE = `Usage:
  ocr-desk search "<words>" [--limit n] [--json] [--data-dir <dir>]

Finds processed documents (batches, hot folders, uploads) whose text holds the words. Every word must occur; AND,
OR, NOT (upper case) and parentheses combine them, "a phrase" matches words in order, rece* matches words that
begin so; 80.90, 2021-06-04 and check-in match as typed; Chinese words are found inside longer runs of characters.
  --limit <n>     at most this many documents  [20]
  --json          one JSON object per line: documentId, path, snippet
  --data-dir      the data folder to search  [OCR_DESK_DATA_DIR or the platform folder]
Exit codes: 0 found, 1 nothing found, 2 usage error (a query that cannot be read says why).
`;

export const SERVE_USAGE = `Usage:
  ocr-desk serve [--port n] [--listen address] [options]

Runs the OCR service with its HTTP API (JSON, Server-Sent Events, uploads; OpenAPI at /v1/openapi.json; Prometheus
/metrics) and the app for a browser. On 127.0.0.1 (the default) every request needs the token printed at start
(open the printed URL once; scripts send \`Authorization: Bearer <token>\`) or an API key; /healthz and /readyz
need none. On any other address it is a LAN node: HTTPS only (TLS 1.2+; a self-signed certificate is made in the
data folder and its SHA-256 fingerprint printed, unless --tls-cert/--tls-key give one), API keys with scopes
(\`ocr-desk keys create\`), a sign-in page for browsers, paths only inside --allow-root folders.
  --port <n>                 port  [7327; 0 picks a free one]               OCR_DESK_PORT
  --listen <address>         address to serve on  [127.0.0.1]               OCR_DESK_LISTEN
  --tls-cert, --tls-key <f>  PEM certificate and key  [self-signed]         OCR_DESK_TLS_CERT, OCR_DESK_TLS_KEY
  --allow-root <dir>         a folder network clients may name (repeat)     OCR_DESK_ALLOWED_ROOTS (: separated)
  --webhook-allow <origins>  where job webhooks may go (comma-separated)    OCR_DESK_WEBHOOK_ALLOW
  --max-upload-bytes <n>     largest uploaded file  [536870912]             OCR_DESK_MAX_UPLOAD_BYTES
  --max-pages <n>            pages per document  [2000]                     OCR_DESK_MAX_PAGES
  --max-concurrent-uploads <n> uploads received at once  [16]               OCR_DESK_MAX_CONCURRENT_UPLOADS
  --max-queue-pages <n>      refuse new jobs (503) beyond this  [2000]      OCR_DESK_MAX_QUEUE_PAGES
  --rate-limit <n>, --rate-burst <n>  requests/s per API key  [50, 100]     OCR_DESK_RATE_LIMIT, OCR_DESK_RATE_BURST
  --headers-timeout-ms, --request-timeout-ms, --idle-timeout-ms <ms>  slow clients  [10000, 600000, 30000]
  --retention-days <n>       delete documents ended n days ago  [0: keep]   OCR_DESK_RETENTION_DAYS
  --log-level <level>        fatal..trace, silent  [info]                   OCR_DESK_LOG_LEVEL
  --log-file <dir>           JSON log folder, or off  [<data>/logs]         OCR_DESK_LOG_FILE
  --session-hours <n>        browser sessions last  [12]                    OCR_DESK_SESSION_HOURS
${SERVICE_OPTIONS}
`;

export const MODELS_USAGE = `Usage:
  ocr-desk models verify [dir]       check a model pack's files against its manifest  [the bundled pack]
  ocr-desk models import <folder>    install a model pack into the data folder's models/
`;
