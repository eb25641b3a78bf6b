// The confusable-name rule (docs/store.md, "Confusable names"): two names that a player cannot tell
// apart on screen must not both exist. The skeleton of a name is its NFKC form (full-width and other
// compatibility letters become plain ones), case folded (upper then lower case, so "ß" matches "SS"),
// without default-ignorable characters (zero-width joiners and the like), with a short table of
// Cyrillic and Greek letters drawn like Latin ones mapped to those. A new name whose skeleton equals
// that of an existing one under another spelling is refused.

// Letters of other scripts that are drawn exactly like a Latin letter in common fonts (lower case:
// the table is applied after case folding).
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'һ': 'h', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'м': 'm', 'н': 'h',
  'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l',
  // Greek
  'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u',
  'χ': 'x', 'ϲ': 'c', 'ϳ': 'j',
  // Latin letters that look like others
  'ı': 'i', 'ſ': 's', 'ɡ': 'g', 'ɑ': 'a',
};

const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** The skeleton two confusable names share. */
export function nameSkeleton(name: string): string {
  const folded = name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC').replace(IGNORABLE, '');
  let out = '';
  for (const ch of folded) out += LOOKALIKES[ch] ?? ch;
  // Combining marks left after composition (a stacked accent) do not tell names apart either.
  return out.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
}
