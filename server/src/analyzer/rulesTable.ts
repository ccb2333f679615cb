// The README's rule table, generated from the registry (a test keeps the README in step).
import { RULES } from './registry';

export function rulesTable(): string {
  const rows = RULES.map((r) => `| ${r.id} | \`${r.name}\` | \`${r.category}\` | ${r.fixAvailability} | ${r.docs.summary} |`);
  return ['| id | name | category | fix | what it flags |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

if (require.main === module) console.log(rulesTable());
