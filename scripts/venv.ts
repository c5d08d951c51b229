import { ensureVenv, VENV_DIR } from './lib/venv.js';

ensureVenv();
console.log(`Python tools ready in ${VENV_DIR}`);
