// End-to-end: `ck up` runs the real stack (stacks/cuddlekube.yaml) on free ports with a temporary
// data directory; the test drives it only through the CLI verbs, the control API, the APIs found
// through discovery and the website on the public port, like a user would: all tasks healthy,
// registering and feeding a resident through the site's forms (plain HTTP, redirects not
// followed), validation errors, hostile names rendered inert, SIGKILLed tasks restarted with the
// site recovering, scaling, stop/start, `ck down`, and a second `ck up` on the same data
// directory keeping the data.
//
// The subtests run in order on one stack and build on each other (the resident registered early
// is fed, killed around, and looked for after the restart). Every wait polls with a deadline;
// nothing asserts on time.
//
// Needs only Node 20 (built-in fetch and node:test) and CK_BIN (the ck binary; set by CTest).
// The browser test (tests/browser) clicks through the same pages in Chromium.
import { describe, it, before, after, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { CK_BIN, Stack, decodeHtml, parseResidentCards, postForm, tasksOf } from './lib/stack.mjs'

// Every on* attribute of every tag (attribute values are quoted, so escaped text inside them is
// not mistaken for an attribute).
function eventHandlerAttributes (html) {
  const found = []
  for (const [, attributes] of html.matchAll(/<[a-zA-Z][\w-]*((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*\/?>/g)) {
    for (const [, name] of attributes.matchAll(/\s+([^\s=>/]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?/g)) {
      if (/^on/i.test(name)) found.push(name)
    }
  }
  return found
}

const SERVICES = ['dynamodb', 'list-api', 'register-api', 'validate-api', 'feed-api',
  'happiness-api', 'order-api', 'public-site']

describe('ck up: the whole stack, through the CLI, the control API and the site', { timeout: 240_000 }, () => {
  let stack
  // What the site subtests registered, for the later ones.
  const unique = `${process.pid}-${Date.now().toString(36)}`
  const siteResident = { Name: `Site & Sons ${unique}`, type: 'm5.large', age: '12', pet: "Ol' <Rusty>", os: 'FreeBSD' }
  let siteCkid
  let fedHappiness
  let startupMs

  const page = async (pathname) => {
    const response = await fetch(`${stack.site}${pathname}`, { redirect: 'manual' })
    return { response, html: await response.text() }
  }
  const residentCards = async () => {
    const { response, html } = await page('/list')
    assert.equal(response.status, 200, html)
    return parseResidentCards(html)
  }
  const siteCard = async () => (await residentCards()).find((card) => card.ckid === siteCkid)

  before(async () => {
    stack = await Stack.create({ prefix: 'ck-e2e-' })
    startupMs = await stack.up()
  })
  after(() => stack?.cleanup())

  it('ck ps shows every task healthy and the seed job completed', async (t) => {
    t.diagnostic(`ck up to all healthy: ${startupMs.toFixed(0)} ms`)
    const ps = stack.ck('ps')
    assert.match(ps, /all healthy/)
    for (const service of SERVICES) {
      assert.match(ps, new RegExp(`${service}-v1-1 +${service} +v1 +healthy`), ps)
    }
    assert.match(ps, /seed-v1-1 +seed +v1 +completed/)
    // (Memory is measured by bench/stack-startup.mjs, not here.)
  })

  it('discovery answers per the contract', async () => {
    const discovery = await (await fetch(`${stack.control}/v1/discovery/list-api`)).json()
    assert.equal(discovery.service, 'list-api')
    assert.equal(discovery.instances.length, 1)
    assert.equal(discovery.instances[0].healthy, true)
    const unknown = await fetch(`${stack.control}/v1/discovery/nope`)
    assert.equal(unknown.status, 404)
    assert.deepEqual(await unknown.json(), { error: 'unknown service: nope' })
  })

  it('register-api stores a resident that list-api then lists', async () => {
    const registerApi = await stack.task('register-api')
    const resident = { name: `api-${unique}`, type: 't3.micro', os: 'linux', petname: 'Testy', service: 2, image: '/img/server-2.svg' }
    const registered = await fetch(`http://127.0.0.1:${registerApi.port}/`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(resident),
    })
    const body = await registered.json()
    assert.equal(registered.status, 201, JSON.stringify(body))
    assert.match(body.ckid, /^[0-9a-f]{32}$/)
    const listed = (await stack.listApi()).find((item) => item.ckid === body.ckid)
    assert.deepEqual(listed, { ...resident, ckid: body.ckid, happiness: 5 })
  })

  it('the site serves its home page and the admittance form', async () => {
    const home = await page('/')
    assert.equal(home.response.status, 200)
    assert.match(home.response.headers.get('content-type'), /^text\/html/)
    assert.match(home.response.headers.get('content-security-policy'), /default-src 'self'/)
    assert.match(home.html, /<a class="button button-primary" href="\/register">Request admittance<\/a>/)
    const form = await page('/register')
    assert.equal(form.response.status, 200)
    for (const field of ['Name', 'type', 'age', 'pet', 'os']) {
      assert.match(form.html, new RegExp(`<input id="${field}" name="${field}"`))
    }
    const missing = await page('/no-such-page')
    assert.equal(missing.response.status, 404)
    assert.match(missing.response.headers.get('content-type'), /^text\/html/)
  })

  it('the site form registers a resident: 303 to /list, where its card shows it', async () => {
    const response = await postForm(`${stack.site}/register`, siteResident)
    assert.equal(response.status, 303, await response.text())
    const location = response.headers.get('location')
    assert.match(location, /^\/list(#resident-[0-9a-f]{32})?$/)

    const { html } = await page('/list')
    // Name and petname are in the HTML, escaped (& < > ' are data, not markup).
    assert.ok(!html.includes(siteResident.Name) && !html.includes(siteResident.pet), 'raw name/petname must not appear')
    assert.ok(html.includes(`Site &amp; Sons ${unique}`), 'escaped name')
    assert.match(html, /Ol(&apos;|&#39;|&#x27;) &lt;Rusty&gt;/, 'escaped petname')

    const cards = parseResidentCards(html).filter((card) => card.name === siteResident.Name)
    assert.equal(cards.length, 1, 'one card for the new resident')
    const [card] = cards
    // Its real ckid, from the card's Feed form (the original posted the literal string "ckid").
    assert.match(card.formCkid, /^[0-9a-f]{32}$/)
    assert.equal(card.ckid, card.formCkid)
    if (location !== '/list') assert.equal(location, `/list#resident-${card.ckid}`)
    siteCkid = card.formCkid
    assert.equal(card.petname, siteResident.pet)
    assert.equal(card.type, siteResident.type)
    assert.equal(card.os, siteResident.os)
    assert.equal(card.service, siteResident.age)
    assert.equal(card.happiness, 5, 'a new resident starts at happiness 5')
    assert.match(card.image, /^\/img\/server-[1-6]\.svg$/)

    // list-api (through discovery) has the same resident.
    const listed = (await stack.listApi()).find((item) => item.ckid === siteCkid)
    assert.deepEqual(listed, {
      ckid: siteCkid, name: siteResident.Name, type: siteResident.type, os: siteResident.os,
      petname: siteResident.pet, service: 12, happiness: 5, image: card.image,
    })
  })

  it('feeding through the site raises that resident\'s happiness, capped at 10', async () => {
    assert.ok(siteCkid, 'registered by the previous subtest')
    const others = Object.fromEntries((await stack.listApi()).map((item) => [item.ckid, item.happiness]))
    for (let expected = 6; expected <= 11; ++expected) {
      const response = await postForm(`${stack.site}/feed`, { ckid: siteCkid })
      assert.equal(response.status, 303, await response.text())
      assert.equal(response.headers.get('location'), `/list#resident-${siteCkid}`)
      const card = await siteCard()
      assert.equal(card.happiness, Math.min(expected, 10), `happiness after feed ${expected - 5}`)
      assert.match(card.html, new RegExp(`aria-valuetext="${Math.min(expected, 10)} of 10, `))
    }
    const after = await stack.listApi()
    fedHappiness = after.find((item) => item.ckid === siteCkid).happiness
    assert.equal(fedHappiness, 10)
    // Only the fed resident changed (the original always fed ck1).
    for (const item of after) {
      if (item.ckid !== siteCkid) assert.equal(item.happiness, others[item.ckid], `${item.ckid} unchanged`)
    }
  })

  it('feeding an unknown resident or nobody gives a friendly error page', async () => {
    const unknown = await postForm(`${stack.site}/feed`, { ckid: 'f'.repeat(32) })
    assert.equal(unknown.status, 404)
    assert.match(unknown.headers.get('content-type'), /^text\/html/)
    assert.match(await unknown.text(), /could not find that resident/)
    const nobody = await postForm(`${stack.site}/feed`, {})
    assert.equal(nobody.status, 400)
    assert.match(await nobody.text(), /Who should we feed\?/)
  })

  it('validation errors re-render the form with 422, the input kept and the reasons listed', async () => {
    const input = { Name: `Kept <name> ${unique}`, type: '', age: '7', pet: 'Kept "pet"', os: '' }
    const response = await postForm(`${stack.site}/register`, input)
    const html = await response.text()
    assert.equal(response.status, 422, html)
    assert.match(response.headers.get('content-type'), /^text\/html/)
    const errors = /<div class="form-errors" role="alert">([\s\S]*?)<\/div>/.exec(html)
    assert.ok(errors, 'an alert box with the reasons')
    const reasons = [...errors[1].matchAll(/<li>([^<]*)<\/li>/g)].map((match) => decodeHtml(match[1]))
    assert.deepEqual(reasons.sort(), ['os is required', 'type is required'])
    // The user's input is kept (escaped inside the value attributes)...
    const value = (field) => decodeHtml(new RegExp(`<input id="${field}" name="${field}"[^>]* value="([^"]*)"`).exec(html)[1])
    assert.equal(value('Name'), input.Name)
    assert.equal(value('age'), input.age)
    assert.equal(value('pet'), input.pet)
    assert.ok(!html.includes('<name>'), 'input is escaped')
    assert.match(html, /value="Kept &quot;pet&quot;"/)
    // ...and the fields named by a reason are marked.
    assert.match(html, /<input id="type" name="type"[^>]*aria-invalid="true"/)
    assert.match(html, /<input id="os" name="os"[^>]*aria-invalid="true"/)
    assert.doesNotMatch(html, /<input id="Name" name="Name"[^>]*aria-invalid/)
    // Nothing was stored.
    assert.ok(!(await stack.listApi()).some((item) => item.name === input.Name), 'rejected resident not stored')

    const badAge = await postForm(`${stack.site}/register`, { ...siteResident, Name: `Bad age ${unique}`, age: 'eleventy' })
    assert.equal(badAge.status, 422)
    const badAgeHtml = await badAge.text()
    assert.match(badAgeHtml, /<li>Years in service must be a whole number/)
    assert.match(badAgeHtml, /<input id="age" name="age"[^>]*value="eleventy"[^>]*aria-invalid="true"/)
  })

  it('hostile names are rendered as text, never as markup', async () => {
    const hostile = [
      `<script>window.__xss=2</script> ${unique}`,
      `"><img src=x onerror="window.__xss=1"> ${unique}`,
    ]
    for (const Name of hostile) {
      const response = await postForm(`${stack.site}/register`, { Name, type: 't2.nano', age: '1', pet: '<b>bold</b>', os: 'linux' })
      assert.equal(response.status, 303, await response.text())
    }
    const { html } = await page('/list')
    assert.doesNotMatch(html, /<script>window\.__xss/)
    assert.doesNotMatch(html, /<img src=x/)
    assert.doesNotMatch(html, /<b>bold<\/b>/)
    // Still exactly one <script> (the site's own, same-origin) and no inline event handlers.
    const scripts = html.match(/<script\b[^>]*>/g)
    assert.equal(scripts.length, 1, scripts.join(' '))
    assert.match(scripts[0], /^<script src="\/static\/site\.js\?v=[^"]*" defer>$/)
    assert.deepEqual(eventHandlerAttributes(html), [], 'no element has an on* attribute')
    const cards = parseResidentCards(html)
    for (const name of hostile) {
      const card = cards.find((candidate) => candidate.name === name)
      assert.ok(card, `card for ${name}`)
      assert.equal(card.petname, '<b>bold</b>')
      assert.equal(decodeHtml(/alt="([^"]*)"/.exec(card.html)[1]), `Picture of ${name}`, 'attribute context escaped')
    }
    // A hostile name in a rejected form is escaped inside the value attribute too.
    const rejected = await postForm(`${stack.site}/register`, { Name: hostile[1], type: '', age: '', pet: '', os: '' })
    assert.equal(rejected.status, 422)
    const rejectedHtml = await rejected.text()
    assert.doesNotMatch(rejectedHtml, /<img src=x/)
    assert.match(rejectedHtml, /value="&quot;&gt;&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt; /)
  })

  it('a SIGKILLed list-api is restarted and the site recovers', async (t) => {
    const before = await stack.task('list-api')
    assert.equal(before.id, 'list-api-v1-1')
    const victim = before.pid
    process.kill(victim, 'SIGKILL')
    // While it is down the site answers a friendly 502 page naming list-api (never a blank page);
    // once the supervisor has replaced it, the residents are back. No assumption on how long.
    const answers = new Map()
    const problems = []
    await stack.until('the site lists residents again after list-api was killed', async () => {
      const { response, html } = await page('/list')
      answers.set(response.status, (answers.get(response.status) || 0) + 1)
      if (response.status === 502) {
        if (!/^text\/html/.test(response.headers.get('content-type')) || !html.includes('<strong>list-api</strong>') ||
            !html.includes('href="/list">Try again')) problems.push(html)
        return false
      }
      if (response.status !== 200) { problems.push(`${response.status}: ${html}`); return false }
      const card = parseResidentCards(html).find((candidate) => candidate.ckid === siteCkid)
      return card && card.happiness === fedHappiness && (await stack.task('list-api')).pid !== victim
    })
    t.diagnostic(`site answers while list-api was down and back: ${JSON.stringify(Object.fromEntries(answers))}`)
    assert.deepEqual(problems, [], 'every answer is the list or the friendly 502 page naming list-api')
    const restarted = await stack.until('list-api healthy again', async () => {
      const task = await stack.task('list-api')
      return task.state === 'healthy' && task.restarts === 1 && task
    })
    assert.equal(restarted.id, 'list-api-v1-2')
    assert.equal(restarted.last_exit, 'killed by signal 9 (SIGKILL)')
    assert.ok((await stack.listApi()).some((item) => item.ckid === siteCkid))
  })

  it('a SIGKILLed public-site is restarted on the public port and serves again', async () => {
    const before = await stack.task('public-site')
    const restarted = await stack.killAndAwaitRestart('public-site')
    assert.equal(restarted.id, 'public-site-v1-2')
    assert.equal(restarted.port, stack.ports.public, 'the public port is kept')
    assert.notEqual(restarted.pid, before.pid)
    await stack.until('the site serves the fed resident again', async () => {
      const card = await siteCard()
      return card && card.happiness === fedHappiness
    })
    const home = await page('/')
    assert.equal(home.response.status, 200)
  })

  it('scales out and back in', async () => {
    assert.match(stack.ck('scale', 'list-api', '2'), /desired 2/)
    await stack.until('two list-api tasks', async () => {
      const now = await stack.tasks()
      return now.all_healthy && tasksOf(now, 'list-api').length === 2
    })
    const two = await (await fetch(`${stack.control}/v1/discovery/list-api`)).json()
    assert.equal(two.instances.filter((instance) => instance.healthy).length, 2)
    // The site keeps working over both instances.
    for (let i = 0; i < 4; ++i) assert.ok(await siteCard(), 'fed resident listed')
    stack.ck('scale', 'list-api', '1')
    await stack.until('one list-api task', async () => tasksOf(await stack.tasks(), 'list-api').length === 1)
  })

  it('stops and starts a service', async () => {
    stack.ck('stop', 'order-api')
    await stack.until('order-api stopped', async () => tasksOf(await stack.tasks(), 'order-api').length === 0)
    assert.match(stack.ck('ps'), /order-api +v1 +stopped/)
    stack.ck('start', 'order-api')
    await stack.until('order-api back', async () => (await stack.tasks()).all_healthy)
  })

  it('bad CLI requests get clear errors', () => {
    assert.throws(() => stack.ck('scale', 'nope', '2'), /unknown service: nope/)
    assert.throws(() => stack.ck('scale', 'dynamodb', '2'), /only services scale/)
  })

  it('ck down stops everything; a second ck up on the same data directory keeps the data', async (t) => {
    await stack.down()
    const logs = fs.readdirSync(path.join(stack.dataDir, 'logs'))
    for (const name of ['list-api', 'public-site', 'supervisor.log']) assert.ok(logs.includes(name), logs.join(','))
    await assert.rejects(fetch(`${stack.site}/`), 'the site is down after ck down')

    const secondMs = await stack.up()
    t.diagnostic(`second ck up to all healthy: ${secondMs.toFixed(0)} ms`)
    const card = await siteCard()
    assert.ok(card, 'the resident registered through the site survives ck down/up')
    assert.equal(card.name, siteResident.Name)
    assert.equal(card.happiness, fedHappiness, 'and so does its happiness')
    const items = await stack.listApi()
    assert.ok(items.some((item) => item.name === `api-${unique}`), 'the resident registered through register-api survives')
    assert.ok(items.some((item) => item.ckid === 'ck1' && item.name === 'ig.nore.me'), 'seeded once, kept')
    assert.equal(items.filter((item) => item.ckid === 'ck1').length, 1)
    await stack.down()
  })
})

test('ck up rejects an invalid stack file with its line', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-e2e-bad-'))
  try {
    const file = path.join(root, 'bad.yaml')
    fs.writeFileSync(file, 'services:\n  api:\n    replicas: 2\n')
    let error
    try {
      execFileSync(CK_BIN, ['up', file, '--data-dir', path.join(root, 'data')], { encoding: 'utf8', stdio: 'pipe' })
    } catch (caught) { error = caught }
    assert.ok(error, 'ck up must fail')
    assert.equal(error.status, 1)
    assert.match(error.stderr, /bad\.yaml:3:5: api\.replicas: unknown key/)
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
})
