import { isXss } from '../../src/guard/xss-detector.js';

describe('isXss', () => {
  it.each([
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg/onload=alert(1)>',
    '<x onclick=alert(1)>click',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" java\tscript:alert(1)">x</a>',
    '<iframe srcdoc="x">',
    '<div style="width:expression(alert(1))">',
    '<a href="data:text/html;base64,pa==">x</a>',
    '<scr<script>ipt>alert(1)',
    '</script><script>alert(1)',
    '" onmouseover="alert(1)',
    "' autofocus onfocus='alert(1)",
    'javascript:alert(1)',
    'java\tscript:alert(1)',
    'javascript: void(0)',
    'vbscript:msgbox(1)',
    'data:text/html,<b>',
    "';alert(1)//",
    '"-alert(1)-"',
    "'+alert`1`+'",
  ])('flags %j', (input) => {
    expect(isXss(input)).toBe(true);
  });

  it.each([
    '<3',
    'i <3 ny',
    '1 < 2 and 3 > 2',
    'a<b',
    '<b>bold</b>',
    'use <kbd>ctrl</kbd>+<kbd>c</kbd>',
    '<a href="https://example.com">example</a>',
    'john <john@example.com>',
    'javascript: the good parts',
    'learn javascript: array.map() explained',
    'please confirm (yes/no)',
    'alert: your card expires soon',
    'note: on=true by default',
    'online store opening soon',
    '[alert(s)](https://example.com)',
    'data: 42 records imported',
    'data:image/png;base64,ivborw0kggo=',
  ])('lets %j through', (input) => {
    expect(isXss(input)).toBe(false);
  });
});
