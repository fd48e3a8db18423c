/** Elements that run script, load documents or switch the parser into foreign content. */
export const DANGEROUS_TAGS: ReadonlySet<string> = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'meta',
  'base',
  'link',
  'style',
  'svg',
  'math',
  'isindex',
  'xml',
  'import',
  'portal',
  'xss',
]);

/** Attributes whose value a browser navigates to or loads as a URL. */
export const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'data',
  'xlink:href',
  'background',
  'lowsrc',
  'dynsrc',
  'poster',
  'code',
  'codebase',
  'classid',
  'srcset',
  'to',
  'from',
  'values',
  'by',
  'ping',
  'cite',
  'longdesc',
  'archive',
  'usemap',
  'content',
]);

/**
 * Event-handler attributes recognised outside a tag (an attribute break-out such as
 * `" onmouseover="…`). Inside a tag every `on…` attribute counts, known or not.
 */
export const EVENT_HANDLERS: ReadonlySet<string> = new Set(
  (
    'abort afterprint animationend animationiteration animationstart auxclick beforecopy ' +
    'beforecut beforeinput beforepaste beforeprint beforeunload begin blur bounce canplay ' +
    'canplaythrough change click close contextmenu copy cuechange cut dblclick drag dragend ' +
    'dragenter dragleave dragover dragstart drop durationchange end ended error finish focus ' +
    'focusin focusout formdata fullscreenchange hashchange input invalid keydown keypress keyup ' +
    'load loadeddata loadedmetadata loadend loadstart message mousedown mouseenter mouseleave ' +
    'mousemove mouseout mouseover mouseup mousewheel offline online pagehide pageshow paste ' +
    'pause play playing pointerdown pointerenter pointerleave pointermove pointerout ' +
    'pointerover pointerup popstate progress ratechange readystatechange repeat reset resize ' +
    'scroll scrollend search seeked seeking select selectionchange selectstart show start ' +
    'stalled storage submit suspend timeupdate toggle touchend touchmove touchstart ' +
    'transitioncancel transitionend transitionrun transitionstart unload volumechange ' +
    'waiting wheel'
  )
    .split(' ')
    .map((name) => `on${name}`),
);

/** URL schemes that execute script. */
export const SCRIPT_SCHEMES: ReadonlySet<string> = new Set([
  'javascript',
  'vbscript',
  'livescript',
  'mocha',
]);

/** `data:` media types a browser renders as a document or runs as script. */
export const ACTIVE_DATA_TYPES: readonly string[] = [
  'text/html',
  'text/xml',
  'text/javascript',
  'image/svg',
  'application/xhtml',
  'application/xml',
  'application/javascript',
  'application/x-',
];

/** Calls that only script makes: `alert(1)`, ``alert`1` ``, `eval(…)`. */
export const SCRIPT_SINKS: ReadonlySet<string> = new Set([
  'alert',
  'prompt',
  'confirm',
  'eval',
  'settimeout',
  'setinterval',
  'function',
  'fetch',
  'import',
  'atob',
  'void',
  'execscript',
  'msgbox',
]);

/** Globals whose property access (`document.cookie`, `window['x']`) marks script. */
export const SCRIPT_GLOBALS: ReadonlySet<string> = new Set([
  'document',
  'window',
  'globalthis',
  'self',
  'top',
  'parent',
  'frames',
  'location',
]);

/** Characters after which a sink call means the value broke out of a JS string or HTML. */
export const BREAKOUT_CHARS: ReadonlySet<number> = new Set(
  [...'\'"`;+-*|&{}>=!~^%'].map((ch) => ch.charCodeAt(0)),
);

/** Style-attribute content that runs script in some browser. */
export const STYLE_SCRIPT: readonly string[] = [
  'expression(',
  'javascript:',
  'vbscript:',
  'behavior:',
  '-moz-binding',
  '@import',
];
