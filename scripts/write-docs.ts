// npm run docs: writes the generated documents from the code (fault codes, error catalog).
import { readFileSync, writeFileSync } from 'node:fs';
import { renderErrorCatalogMarkdown, renderFaultCodesMarkdown } from '@liftwatch/contract';

const root = new URL('../', import.meta.url);
writeFileSync(new URL('docs/fault-codes.md', root), renderFaultCodesMarkdown());
const errorsFile = new URL('docs/errors.md', root);
const text = readFileSync(errorsFile, 'utf8');
const start = text.indexOf('<!-- catalog:start -->');
const end = text.indexOf('<!-- catalog:end -->');
if (start < 0 || end < 0) throw new Error('docs/errors.md lost its <!-- catalog:start --> / <!-- catalog:end --> markers');
writeFileSync(errorsFile, `${text.slice(0, start)}<!-- catalog:start -->\n${renderErrorCatalogMarkdown()}${text.slice(end)}`);
console.log('wrote docs/fault-codes.md and docs/errors.md');
