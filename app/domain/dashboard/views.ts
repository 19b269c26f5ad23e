/*
 * What the dashboard and outcomes pages render with, free of zod and server code (the
 * components import it).
 */
