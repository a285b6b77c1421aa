/* Interfaces for the JSON-shaped values returned by archcompat (see shared contract).
   Kept in one place so the generated index.d.ts can reference them by name. */

/** A finding: one problem with its evidence and fixes. */
export interface Finding {
  code: string
  severity: 'error' | 'warning' | 'info'
  message: string
  evidence: Array<{ detail: string; path?: string; layer?: string; line?: number }>
  location?: { path: string; line?: number }
  fixes: Fix[]
}

/** A concrete, ready-to-paste change. */
export interface Fix {
  id: string
  title: string
  why: string
  applies_to: string
  snippet: string
  diff?: string
}

/** An OCI platform in its JSON form. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
  'os.version'?: string
  'os.features'?: string[]
}

// ---------------------------------------------------------------- platform (issue 3)


// ---------------------------------------------------------------- binary (issue 4)


// ---------------------------------------------------------------- image (issue 5)


// ---------------------------------------------------------------- diagnose, fix, lint, redact (issue 6)

