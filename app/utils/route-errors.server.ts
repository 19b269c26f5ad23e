export * from '../web/route-errors.server.js'
