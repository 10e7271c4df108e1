// `node --import` this file to run TypeScript sources through swc-loader.mjs.
import { register } from 'node:module';

register('./swc-loader.mjs', import.meta.url);
