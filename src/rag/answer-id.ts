/**
 * A fresh answer id: a UUID version 7 (RFC 9562), 48 bits of milliseconds then 74 random bits.
 * Random enough that no one guesses another reader's answer to rate it, and time-ordered so
 * that recording an answer appends to the end of the database's id index instead of touching
 * a random page of it (a third of the cost of each recorded question).
 */
export function newAnswerId(now = Date.now()): string {
  // randomUUID's form is xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx: keep its random digits after the
  // version nibble (12 bits) and from the variant on (62 bits); put the time before them.
  const random = crypto.randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
