// Canned replies by language; the agent can edit the text before sending.
export const CANNED = {
  en: [
    ["Greeting", "Hello, I'm here to help. I've read your conversation with our assistant, so you don't need to repeat anything."],
    ["Apology", "I'm sorry this has caused you trouble. Let's sort it out together now."],
    ["Checking", "Thank you for your patience. I'm checking this for you right now."],
    ["Refund", "I've started the refund. You'll see it on your account within 3 to 5 working days."],
    ["Anything else", "Is there anything else I can do for you today?"],
  ],
  de: [
    ["Begrüßung", "Hallo, ich bin für Sie da. Ich habe Ihr Gespräch mit unserem Assistenten gelesen – Sie müssen nichts wiederholen."],
    ["Entschuldigung", "Es tut mir leid, dass Ihnen das Ärger bereitet hat. Lassen Sie uns das jetzt gemeinsam lösen."],
    ["Prüfen", "Danke für Ihre Geduld. Ich prüfe das gerade für Sie."],
    ["Erstattung", "Ich habe die Erstattung veranlasst. Sie sehen sie in 3 bis 5 Werktagen auf Ihrem Konto."],
    ["Sonst noch etwas", "Kann ich heute sonst noch etwas für Sie tun?"],
  ],
};
