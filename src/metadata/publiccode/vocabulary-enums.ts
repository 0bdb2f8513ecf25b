/** The reference parser's SupportedVersions, in its order (the error message lists them so). */
export const SUPPORTED_VERSIONS = ['0', '0.2', '0.2.0', '0.2.1', '0.2.2', '0.3', '0.3.0', '0.4', '0.4.0', '0.5.0', '0.5', '0.7.0', '0.7'] as const;
/** Versions parsed without the "not the latest version" warning ("0" means the latest 0.x). */
export const LATEST_VERSIONS: ReadonlySet<string> = new Set(['0', '0.7', '0.7.0']);

export const DEVELOPMENT_STATUSES = ['concept', 'development', 'beta', 'stable', 'obsolete'] as const;
export const SOFTWARE_TYPES = [
  'standalone/mobile', 'standalone/iot', 'standalone/desktop', 'standalone/web', 'standalone/backend',
  'standalone/other', 'addon', 'library', 'configurationFiles',
] as const;
export const MAINTENANCE_TYPES = ['internal', 'contract', 'community', 'none'] as const;
export const IT_EXTENSION_VERSIONS = ['0.2', '1.0'] as const;

/** `supports[].id` aliases (docs/standard/aliases-list.rst, publiccode.yml 0.7). */
export const SUPPORT_ALIASES: ReadonlySet<string> = new Set(['gdpr', 'eidas', 'nis2', 'cra', 'spid', 'cie', 'anpr', 'pagopa', 'io']);

export const LOGO_EXTENSIONS = ['.svg', '.svgz', '.png'] as const;
export const SCREENSHOT_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;
