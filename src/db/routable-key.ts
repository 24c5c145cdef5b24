// Whether a project or session key can be a page's path segment. Claude Code names project directories with
// letters, digits and dashes and sessions with UUIDs, but a directory made by hand can hold anything: a key
// with '/', '\', '#', '?' or '%' (or a control character, or '.' / '..', or not in Unicode's composed form)
// cannot round-trip through a URL in Astro's prerendering, so its page is left out of the build (and reported)
// rather than failing it. Its usage still counts everywhere else.
export function routableKey(key: string): boolean {
  return (
    key !== '' &&
    key !== '.' &&
    key !== '..' &&
    !/[/\\#?%\u0000-\u001f\u007f]/.test(key) &&
    // Astro hands a page its parameters in Unicode's composed form (NFC): a name in another form would not
    // find its own data.
    key.normalize('NFC') === key
  );
}
