import { runContractSuite } from '../../src/index.js'
import { keyHr, now, STATUS, type Variant, writeFixtures } from './key-hr.js'

// The contract suite over Key HR's fixtures. Run as it is, with the connector that sends the recorded
// credentials, it passes; credentials.test.ts runs it again with the connectors that do not.
const variant = (process.env.HRSYNC_KEY_HR_VARIANT ?? 'right') as Variant

runContractSuite(keyHr(variant), { fixturesDir: writeFixtures(), now, statusTable: STATUS })
