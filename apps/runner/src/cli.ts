#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkConnection, pullEmployees } from '@hrsync/connector-kit'
import { API_KEY_ACTIONS, type ApiKeyAction, apiKeysCommand } from './api-keys-command.js'
import { importDirOf, readEnv } from './config.js'
import { dataWarnings } from './dev/report.js'
import { devRun, devWatch } from './dev/run.js'
import { createLogger } from './logger.js'
import { pluginLines, pluginsCommand } from './plugins/command.js'
import { withExtraAllowedHosts } from './plugins/hosts.js'
import { loadPlugins } from './plugins/index.js'
import { keepServingOnUnhandledRejection } from './process-guard.js'
import { reviewCommand } from './review-command.js'
import { startRunner } from './runner.js'
import { syncCommand } from './sync-command.js'

const USAGE = `hrsync — keeps an app's users and teams in step with the HR system

Usage:
  hrsync serve                                   run the admin API and the scheduler
  hrsync connectors                              list the connector plugins found, and those that failed
  hrsync check <connector> --config <file>       check a connection with a JSON config file
  hrsync pull <connector> --config <file> [--json]   read every employee (to stdout with --json)
  hrsync dev <folder | entry.ts> --config <file> [--json] [--watch] [--record <scenario>] [--allow-host <host>]...
                                                 run a draft connector from its TypeScript source: the check,
                                                 a full pull, the people, the skipped and the warnings
  hrsync sync <integrationId> [--dry-run]        sync one integration now
  hrsync review <integrationId> [--json]         the first sync planned for review (planned now if none is)
  hrsync confirm <integrationId> [--json]        confirm the first sync: planned again and applied
  hrsync keygen                                  print a new HRSYNC_SECRET_KEY
  hrsync keys rotate                             a new key in the key file, the old one kept in <file>.previous
  hrsync plugins add <npm spec | file.tgz | folder>   install a connector into the data folder, usable at once
  hrsync plugins list [--json]                   the connector plugins: source, version and state
  hrsync plugins remove <package> [--disconnect] remove an installed connector (refused while in use)
  hrsync api-keys create [--company <id>] [--name <label>] [--json]
                                                 an admin API key: a company key with --company, else an
                                                 operator key; the key is printed this once
  hrsync api-keys list [--company <id>] [--json] the admin API keys, by prefix, revoked ones included
  hrsync api-keys revoke <keyId>                 revoke a key at once

Configuration comes from the environment: see docs/operating-the-runner.md.`

function fail(message: string): never {
  process.stderr.write(`hrsync: ${message}\n`)
  process.exit(1)
}

/** A command line this CLI does not understand: the usage, and exit code 2. */
function usageError(message: string): never {
  process.stderr.write(`hrsync: ${message}\n\n${USAGE}\n`)
  process.exit(2)
}

function readConfig(file: string | undefined): unknown {
  if (!file) fail('--config <file> is required (a JSON file with the connection settings)')
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    fail(`cannot read ${file}: ${(error as Error).message}`)
  }
}

async function connectorById(id: string | undefined) {
  if (!id) fail('name the connector, e.g. hrsync check personio --config personio.json')
  const env = readEnv()
  // `hrsync check` reaches the same hosts as the runner: the operator's extra ones included
  const registry = withExtraAllowedHosts(
    await loadPlugins({ configured: env.plugins }),
    env.extraAllowedHosts,
  )
  const loaded = registry.get(id)
  if (!loaded) {
    const known =
      registry
        .list()
        .map((c) => c.connector.id)
        .join(', ') || 'none'
    fail(`no connector "${id}" is installed (found: ${known})`)
  }
  return loaded.connector
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        watch: { type: 'boolean', default: false },
        record: { type: 'string' },
        company: { type: 'string' },
        name: { type: 'string' },
        'allow-host': { type: 'string', multiple: true, default: [] },
        disconnect: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    // parseArgs words its errors for programmers; the first sentence is the one an operator needs
    usageError((error as Error).message.split('. ')[0]!.replace(/\.$/, ''))
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseCommandLine()
  const [command, arg] = positionals
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  // a draft may reach a sandbox or a local fake API; a service calls only the hosts its connectors declare
  if (values['allow-host'].length > 0 && command !== 'dev') {
    usageError('--allow-host is only for hrsync dev: a runner calls only the hosts its connectors declare')
  }
  switch (command) {
    case 'dev': {
      if (!arg)
        fail('name the connector package folder or its entry .ts file, e.g. hrsync dev . --config dev.json')
      const options = {
        target: arg,
        config: readConfig(values.config),
        allowHosts: values['allow-host'],
        json: values.json,
        record: values.record,
        importDir: importDirOf(readEnv()),
        out: process.stdout,
        err: process.stderr,
      }
      const worked = await devRun(options).catch((error: Error) => {
        // while watching, a draft that does not load yet is the next save's to fix
        if (!values.watch) fail(error.message)
        process.stderr.write(`${error.message}\n`)
        return false
      })
      if (!values.watch) {
        if (!worked) process.exitCode = 1
        return
      }
      devWatch(options)
      process.stderr.write('watching for changes (Ctrl-C to stop)\n')
      return
    }
    case 'serve': {
      keepServingOnUnhandledRejection(createLogger('info'))
      const runner = await startRunner()
      process.stdout.write(`hrsync admin API on ${runner.url} (OpenAPI at ${runner.url}/docs)\n`)
      if (runner.adminTokenGenerated) {
        process.stdout.write(
          `admin token (also in the data folder's admin-token file): ${runner.adminToken}\n`,
        )
      }
      const stop = async () => {
        await runner.close()
        process.exit(0)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      return
    }
    case 'connectors': {
      const registry = await loadPlugins({ configured: readEnv().plugins })
      for (const { connector, packageName, version } of registry.list()) {
        process.stdout.write(
          `${connector.id.padEnd(20)} ${connector.name.padEnd(24)} ${connector.mode.padEnd(5)} ${packageName}@${version}\n`,
        )
      }
      for (const failure of registry.failures) {
        process.stdout.write(
          `FAILED ${failure.package}${failure.version ? `@${failure.version}` : ''}: ${failure.reason}\n`,
        )
      }
      return
    }
    case 'check': {
      const connector = await connectorById(arg)
      const result = await checkConnection(connector, readConfig(values.config), {
        importDir: importDirOf(readEnv()),
      })
      if (result.ok) process.stdout.write(`${connector.name}: connection works\n`)
      else fail(`${result.code}: ${result.message}`)
      return
    }
    case 'pull': {
      const connector = await connectorById(arg)
      const result = await pullEmployees(connector, readConfig(values.config), {
        importDir: importDirOf(readEnv()),
        onPage: ({ page, total }) => {
          if (process.stderr.isTTY) process.stderr.write(`\rpage ${page}: ${total} people read`)
        },
      }).catch((error: Error & { code?: string }) => fail(`${error.code ?? 'pull_failed'}: ${error.message}`))
      if (process.stderr.isTTY) process.stderr.write('\n')
      const warnings = dataWarnings(connector.name, result)
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ ...result, warnings }, null, 2)}\n`)
        return
      }
      for (const e of result.employees) {
        process.stdout.write(
          `${e.remoteId}\t${e.status}\t${e.email ?? '(no email)'}\t${[e.firstName, e.lastName].filter(Boolean).join(' ')}\n`,
        )
      }
      const summary = `${result.employees.length} people in ${result.pages} pages, ${result.skipped.length} skipped, ${warnings.length} warnings`
      process.stdout.write(`${summary}\n`)
      for (const warning of warnings) process.stdout.write(`warning: ${warning.message}\n`)
      return
    }
    case 'sync': {
      if (!arg) fail('name the integration id, e.g. hrsync sync int_...')
      const dryRun = values['dry-run']
      const { run, plan } = await syncCommand(arg, dryRun)
      process.stdout.write(`${JSON.stringify({ run, plan: dryRun ? plan : undefined }, null, 2)}\n`)
      if (run.status === 'failed') process.exitCode = 1
      return
    }
    case 'keys': {
      if (arg !== 'rotate') usageError(`unknown keys command "${arg ?? ''}" (try: hrsync keys rotate)`)
      const env = readEnv()
      if (env.secretKey) {
        fail(
          'the key comes from HRSYNC_SECRET_KEY: rotate it as docs/operating-the-runner.md says ' +
            '(hrsync keygen, then restart with the new key in HRSYNC_SECRET_KEY and the old one in HRSYNC_SECRET_KEY_PREVIOUS)',
        )
      }
      const { defaultKeyFile, previousKeyFile, rotateKeyFile } = await import('./store/index.js')
      const file = env.secretKeyFile ?? defaultKeyFile(resolve(env.dataDir))
      const { keyId, previousKeyId } = rotateKeyFile(file)
      process.stdout.write(
        `new key ${keyId} in ${file}; the previous key ${previousKeyId} is kept in ${previousKeyFile(file)}.\n` +
          'Restart the runner: at start it re-seals every config with the new key. Keep the .previous file ' +
          'as long as you keep backups made before the rotation.\n',
      )
      return
    }
    case 'review':
    case 'confirm': {
      if (!arg) fail(`name the integration id, e.g. hrsync ${command} int_...`)
      const { failed } = await reviewCommand(command, arg, values.json, process.stdout).catch(
        (error: Error) => fail(error.message),
      )
      if (failed) process.exitCode = 1
      return
    }
    case 'api-keys': {
      if (!API_KEY_ACTIONS.includes(arg as ApiKeyAction)) {
        usageError(
          `unknown api-keys command "${arg ?? ''}" (try: hrsync api-keys create | list | revoke <keyId>)`,
        )
      }
      const keyId = positionals[2]
      if (arg === 'revoke' && !keyId) fail('name the key to revoke, e.g. hrsync api-keys revoke key_...')
      await apiKeysCommand(
        {
          action: arg as ApiKeyAction,
          keyId,
          companyId: values.company,
          name: values.name,
          json: values.json,
        },
        process.stdout,
      )
      return
    }
    case 'plugins': {
      const [, action, target] = positionals
      const answer = await pluginsCommand(action, target, { disconnect: values.disconnect }).catch(
        (error: Error) => fail(error.message),
      )
      if (values.json) process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`)
      else if ('plugins' in answer) process.stdout.write(`${pluginLines(answer.plugins)}\n`)
      else if ('removed' in answer) {
        process.stdout.write(
          `removed ${answer.removed.join(', ')}${answer.disconnected.length > 0 ? `; disconnected ${answer.disconnected.join(', ')}` : ''}\n`,
        )
      } else
        process.stdout.write(
          `installed ${answer.package}@${answer.version}: connector "${answer.connectorId}" is available\n`,
        )
      return
    }
    case 'keygen': {
      const { generateKey } = await import('./store/index.js')
      process.stdout.write(`${generateKey()}\n`)
      return
    }
    default:
      usageError(`unknown command "${command}"`)
  }
}

main().catch((error: Error) => fail(error.message))
