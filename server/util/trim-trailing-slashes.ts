/** `https://x/api//` → `https://x/api`, in linear time (a trailing-slashes pattern is quadratic on a run of slashes). */
export function trimTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}
