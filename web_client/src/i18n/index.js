/** Locale plug-ins with one interface: `translator(language)(key, values)`. */
import en from './en.js';
import de from './de.js';

export const LOCALES = Object.freeze({ en, de });
export const LANGUAGES = Object.freeze(Object.keys(LOCALES));

/** Picks a supported language from a preference list (e.g. navigator.languages). */
export function pickLanguage(preferences = [], fallback = 'en') {
  for (const preference of preferences) {
    const base = String(preference).toLowerCase().split('-')[0];
    if (LOCALES[base]) return base;
  }
  return fallback;
}

/** A translate function for `language`; `{name}` placeholders are filled from `values`. */
export function translator(language) {
  const strings = LOCALES[language];
  if (!strings) throw new RangeError(`unsupported language "${language}" (supported: ${LANGUAGES.join(', ')})`);
  return (key, values = {}) => {
    const template = strings[key] ?? LOCALES.en[key];
    if (template === undefined) throw new RangeError(`no UI text "${key}"`);
    return template.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  };
}
