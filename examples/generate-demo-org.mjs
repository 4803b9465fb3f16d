// Writes examples/demo-org.csv: a realistic organisation of about 150 people in 4 levels,
// with leavers, people on leave, a future starter, one person without email and one manager loop.
// Deterministic: the same file every run. Usage: node examples/generate-demo-org.mjs
import { writeFileSync } from 'node:fs'

const first = [
  'Anna',
  'Ben',
  'Chloé',
  'David',
  'Elif',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Kaja',
  'Lars',
  'Maja',
  'Nils',
  'Olga',
  'Pedro',
  'Quinn',
  'Rosa',
  'Sven',
  'Tove',
  'Ugo',
  'Vera',
  'Wiktor',
  'Xenia',
  'Yusuf',
  'Zoë',
  'Åsa',
  'Łukasz',
  'Søren',
  'Renée',
]
const last = [
  'Becker',
  'Cole',
  'Dubois',
  'Eriksen',
  'Fischer',
  'García',
  'Hansen',
  'Ibsen',
  'Jensen',
  'Kowalski',
  'Larsen',
  'Müller',
  'Nielsen',
  'Olsen',
  'Pérez',
  'Quist',
  'Rasmussen',
  'Schmidt',
  'Thomsen',
  'Ullah',
  'Vogel',
  'Wójcik',
  'Øster',
  'Åberg',
  'Nowak',
]
const departments = ['Finance', 'Sales', 'Engineering', 'Operations']
const titles = {
  Finance: ['Accountant', 'Controller', 'Payroll Specialist'],
  Sales: ['Account Executive', 'Sales Development Rep', 'Account Manager'],
  Engineering: ['Software Engineer', 'Site Reliability Engineer', 'QA Engineer'],
  Operations: ['Office Manager', 'People Partner', 'Procurement Specialist'],
}

const slug = (s) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/å/g, 'a')
    .replace(/Å/g, 'A')
    .toLowerCase()
const people = []
let n = 0
function person(firstName, lastName, managerId, department, jobTitle, extra = {}) {
  n += 1
  const id = `E${String(1000 + n)}`
  const email = `${slug(firstName)}.${slug(lastName)}${n > 25 ? n : ''}@acme.example.com`
  const p = {
    id,
    email,
    firstName,
    lastName,
    status: 'active',
    managerId,
    department,
    jobTitle,
    startDate: `20${String(15 + (n % 9)).padStart(2, '0')}-${String(1 + (n % 12)).padStart(2, '0')}-01`,
    terminationDate: '',
    ...extra,
  }
  people.push(p)
  return p
}

const ceo = person('Margit', 'Lindqvist', '', 'Management', 'Chief Executive Officer')
for (const [d, department] of departments.entries()) {
  const head = person(first[d], last[d], ceo.id, department, `Head of ${department}`)
  for (let m = 0; m < 3; m += 1) {
    const lead = person(
      first[(d * 3 + m + 4) % first.length],
      last[(d * 3 + m + 5) % last.length],
      head.id,
      department,
      `${department} Team Lead`,
    )
    for (let r = 0; r < 11; r += 1) {
      const i = d * 33 + m * 11 + r
      person(
        first[(i * 7 + 3) % first.length],
        last[(i * 11 + 2) % last.length],
        lead.id,
        department,
        titles[department][r % 3],
      )
    }
  }
}

// Leavers: two already gone, one leaving later this year.
people[20].status = 'terminated'
people[20].terminationDate = '2026-03-31'
people[57].status = 'terminated'
people[57].terminationDate = '2026-06-30'
people[91].terminationDate = '2027-01-31'
// On leave.
people[33].status = 'leave'
people[72].status = 'leave'
people[110].status = 'leave'
// A future starter.
const starter = person('Noor', 'Haddad', people[2].id, 'Finance', 'Account Executive', {
  status: 'pending',
  startDate: '2027-02-01',
})
starter.email = 'noor.haddad@acme.example.com'
// One person without an email.
people[44].email = ''
// One manager loop: two contractors who name each other as manager.
const a = person('Iris', 'Vance', '', 'Operations', 'Contractor')
const b = person('Omar', 'Reyes', a.id, 'Operations', 'Contractor')
a.managerId = b.id

const header = [
  'employee_id',
  'email',
  'first_name',
  'last_name',
  'status',
  'manager_id',
  'department',
  'job_title',
  'start_date',
  'termination_date',
]
const quote = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
const rows = people.map((p) =>
  [
    p.id,
    p.email,
    p.firstName,
    p.lastName,
    p.status,
    p.managerId,
    p.department,
    p.jobTitle,
    p.startDate,
    p.terminationDate,
  ]
    .map(quote)
    .join(','),
)
writeFileSync(new URL('./demo-org.csv', import.meta.url), `${[header.join(','), ...rows].join('\n')}\n`)
console.log(`wrote ${people.length} people`)
