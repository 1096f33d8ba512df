// The `verbatim-cloud` command (dist/cloud/verbatim-cloud.cjs).
import { runAdmin } from './verbatim-cloud';

runAdmin(process.argv.slice(2), (line) => console.log(line)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`verbatim-cloud: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
