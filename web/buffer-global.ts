// The .doc reader (word-extractor) uses Node's Buffer: the page gives it the `buffer` package's.
import { Buffer } from 'buffer';

export { Buffer };
