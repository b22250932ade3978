/** Style sheets imported as text (esbuild's `text` loader; see web/build.ts). */
declare module '*.css' {
  const text: string;
  export default text;
}
