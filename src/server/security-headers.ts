// The security headers every response of `ctm start` carries, the same ones nginx/ctm.conf.template adds
// (a test holds the two equal): pages load only their own scripts and styles and cannot be framed.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'permissions-policy':
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), ' +
    'usb=(), interest-cohort=()',
  'cross-origin-opener-policy': 'same-origin',
};
