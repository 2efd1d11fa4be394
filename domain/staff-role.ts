/**
 * What a staff member signed in as themselves may do through the API, as an API key's role:
 * an admin everything, a manager also reports and feedback results, anyone else (an agent, a
 * technician) the work on requests. Their roles in the tenant's settings decide, at every call.
 * (Apart from domain/tenant.ts: the authorizer needs this, not the settings schema.)
 */
export function apiRoleOf(staff: { roles: readonly string[] }): 'agent' | 'manager' | 'admin' {
  if (staff.roles.includes('admin')) return 'admin';
  if (staff.roles.includes('manager')) return 'manager';
  return 'agent';
}
