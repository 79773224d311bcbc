// The OAuth2 scopes a sandbox token may hold. The contract's other types are the generated ones, imported by their names
// from contract/ (contract/starmile-partner.ts, contract/sandbox-admin.ts, contract/starship-rewards.ts).
export type Scope = 'orders:create' | 'orders:update' | 'orders:cancel' | 'status:read' | 'events:transport';
