import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.ts';
import { findNginx } from './find-nginx.ts';

describe('findNginx', () => {
  it('finds the installed nginx, its version and mime.types', () => {
    const nginx = findNginx(undefined, process.env.PATH);
    expect(nginx.bin).toMatch(/\/nginx$/);
    expect(nginx.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(nginx.mimeTypes).toMatch(/mime\.types$/);
  });

  it('says how to install nginx when there is none', () => {
    const error = (() => {
      try {
        findNginx(undefined, '/nonexistent', []);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'CTM_NGINX_BIN: nginx not found; install it (Debian/Ubuntu: apt-get install nginx, macOS: brew install nginx) ' +
        'or set CTM_NGINX_BIN to its path',
    );
  });

  it('rejects a CTM_NGINX_BIN that is not executable', () => {
    expect(() => findNginx('/nonexistent/nginx')).toThrow(
      'CTM_NGINX_BIN: /nonexistent/nginx is not an executable nginx',
    );
  });
});
