/** npm run build:web — bundle the chat UI into dist/web. */
import { buildWeb, WEB_OUT_DIR } from '../web/build.ts';

await buildWeb();
console.log(`Built the web UI into ${WEB_OUT_DIR}`);
