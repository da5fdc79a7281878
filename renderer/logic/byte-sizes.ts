// Sizes as a person reads them: 512 B, 1.5 KiB, 256 MiB.
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function byteSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
