/**
 * One test file of the shared-server suite (run by ../shared-server.test.ts); its tests are in ./tenant-suite.ts.
 */
import { tenantSuite } from './tenant-suite.js'

tenantSuite({ name: 'a', to: '+15550001111', mine: 'from a', theirs: 'from b' })
