/**
 * One test file of the shared-server suite (run by ../shared-server.test.ts); its tests are in ./tenant-suite.ts.
 */
import { tenantSuite } from './tenant-suite.js'

tenantSuite({ name: 'b', to: '+15550002222', mine: 'from b', theirs: 'from a' })
