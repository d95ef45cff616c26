/** UI text of speech input, per language (the widget's other strings live in ../i18n/). */
const STRINGS = {
  en: {
    micStart: 'Speak (microphone)',
    micStop: 'Stop speaking and send to the text box',
    micOn: 'Microphone on — listening…',
    micThinking: 'Working out what you said…',
    handsFree: 'Hands-free',
    handsFreeOn: 'Hands-free on: the microphone listens and sends what you say.',
    micDenied: 'The microphone is blocked. Allow it in your browser to speak, or type your message.',
    micMissing: 'No microphone was found. Please type your message.',
    micFailed: 'The microphone could not start. Please type your message.',
  },
  de: {
    micStart: 'Sprechen (Mikrofon)',
    micStop: 'Aufnahme beenden und in das Textfeld übernehmen',
    micOn: 'Mikrofon an – ich höre zu …',
    micThinking: 'Ich werte aus, was Sie gesagt haben …',
    handsFree: 'Freihändig',
    handsFreeOn: 'Freihändig an: Das Mikrofon hört zu und sendet, was Sie sagen.',
    micDenied: 'Das Mikrofon ist blockiert. Erlauben Sie es im Browser, um zu sprechen, oder schreiben Sie Ihre Nachricht.',
    micMissing: 'Es wurde kein Mikrofon gefunden. Bitte schreiben Sie Ihre Nachricht.',
    micFailed: 'Das Mikrofon konnte nicht starten. Bitte schreiben Sie Ihre Nachricht.',
  },
};

export const VOICE_LANGUAGES = Object.freeze(Object.keys(STRINGS));

export function voiceText(language, key) {
  return (STRINGS[language] || STRINGS.en)[key] ?? STRINGS.en[key];
}
