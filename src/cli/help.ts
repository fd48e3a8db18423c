/** `keyward --help`. */
export const HELP = `keyward — manage API keys and teams in a keyward store

Usage: keyward <command> [options]

Keys
  keys create --team <id> --name <name> --env <production|staging|development>
              [--scopes a:read,b:*] [--per-minute N] [--monthly N] [--ips-per-month N]
              [--valid-until <ISO date>] [--customer <id>]
  keys list   [--team <id>] [--env <env>] [--status active|revoked] [--limit N] [--before <key id>]
  keys show <key id>
  keys revoke <key id>          keys restore <key id>
  keys regenerate <key id>      new secret; the old one stops working at once
  keys rotate <key id> [--grace 24h]   new secret; the old one works until the grace ends
  keys block <key id> (--until <ISO date> | --for 1h)
  keys unblock <key id>

Teams
  teams set <team id> [--plan pro] [--features pro,enterprise]
            [--subscription active|canceled|none] [--expires <ISO date>|never]
            [--per-minute N|unlimited|none] [--monthly N|unlimited|none]
  teams show <team id>

Store
  migrate                       create or upgrade keyward's tables (safe to repeat)

Options
  --store <url>          postgres://user@host:5432/db   (or KEYWARD_STORE)
  --schema <name>        schema of the tables            (or KEYWARD_SCHEMA; default public)
  --table-prefix <p>     table name prefix               (default keyward_)
  --prefix <p>           key prefix, as in apiKeyAuth    (or KEYWARD_PREFIX; default kw)
  --pepper <secret>      digest pepper, as in apiKeyAuth (prefer KEYWARD_PEPPER: arguments
                         are visible to other users of the machine)
  --json                 machine-readable output
  -h, --help             this help

New secrets (create, regenerate, rotate) are printed once, on stdout; keyward stores only
their digest and cannot show them again. Exit status: 0 done, 1 failed, 2 bad arguments.
`;
