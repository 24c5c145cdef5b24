// Every test file's temp dirs (tempDir in test/fixtures/fixture-tree.ts) go when its last test has run, also
// those its tests made without removing them; afterAll hooks of the file itself run first.
import { afterAll } from 'vitest';
import { removeTempDirs } from './fixtures/fixture-tree.ts';

afterAll(removeTempDirs);
