export function serviceKit(): string {
  return 'service-kit';
}
