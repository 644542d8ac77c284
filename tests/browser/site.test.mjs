// Browser test: Debian's Chromium (/usr/bin/chromium), driven by playwright-core, clicks through
// the Cuddle Kube site served by a real `ck up` (temp data dir, free ports): home -> "Request
// admittance" -> fill and submit the form -> the list shows the new resident -> "Feed the server"
// -> its happiness meter rises; a rejected form shows its reasons and keeps the input; names
// carrying HTML/JS are shown as text and never run. Screenshots (desktop and a 390 px phone) go
// to $CK_ARTIFACTS_DIR/browser or build/test-artifacts/browser.
//
// Every page must load without console errors, page errors or failed requests, and without a
// single request to anything but the site itself (the site works offline).
//
//   cd tests/browser && npm ci && CK_BIN=../../build/release/src/ck node --test site.test.mjs
// CTest: site_browser (registered when tests/browser/node_modules and /usr/bin/chromium exist).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { chromium } from 'playwright-core'
import { Stack, artifactsDir, parseResidentCards } from '../e2e/lib/stack.mjs'

const CHROMIUM = process.env.CK_CHROMIUM || '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const DESKTOP = { viewport: { width: 1280, height: 900 } }
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

describe('the site in Chromium', { timeout: 240_000 }, () => {
  let stack
  let browser
  let shots
  const unique = `${process.pid}-${Date.now().toString(36)}`
  const resident = { name: `Browser Bertha ${unique}`, type: 'c5.xlarge', age: '9', pet: 'Bertie', os: 'OpenBSD' }
  // Everything a page did wrong, per context; checked after each test.
  const problems = []
  const dialogs = []
  const contexts = []

  async function newPage (options) {
    const context = await browser.newContext(options)
    contexts.push(context)
    const local = new URL(stack.site).origin
    // Anything not from the site is recorded and never leaves the machine.
    await context.route((url) => url.origin !== local, (route) => {
      problems.push(`request to a non-local origin: ${route.request().url()}`)
      return route.abort()
    })
    const page = await context.newPage()
    page.on('console', (message) => {
      if (message.type() !== 'error' && message.type() !== 'warning') return
      // Chromium logs every 4xx document; the rejected form's 422 page is meant to be one.
      if (/status of 422 /.test(message.text()) && message.location().url === `${local}/register`) return
      problems.push(`console ${message.type()}: ${message.text()} (${message.location().url})`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('requestfailed', (request) => {
      // ERR_ABORTED: the page itself cancelled the load by navigating away (lazy pictures, the
      // favicon); a server or network failure shows as another error or as a 4xx/5xx below.
      if (request.failure()?.errorText === 'net::ERR_ABORTED' && new URL(request.url()).origin === local) return
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`)
    })
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.request().isNavigationRequest()) {
        problems.push(`HTTP ${response.status()} for ${response.url()}`)
      }
    })
    page.on('dialog', async (dialog) => { dialogs.push(`${dialog.type()}: ${dialog.message()}`); await dialog.dismiss() })
    return page
  }

  const screenshot = async (page, name, { fullPage = true } = {}) => {
    const file = path.join(shots, `${name}.png`)
    await page.screenshot({ path: file, fullPage })
    return file
  }

  const meterOf = (page, ckid) => page.locator(`#resident-${ckid} .happiness-meter`)

  async function register (page, fields) {
    await page.getByLabel('Server name').fill(fields.name)
    await page.getByLabel('Type').fill(fields.type)
    await page.getByLabel('Years in service').fill(fields.age)
    await page.getByLabel('Pet name').fill(fields.pet)
    await page.getByLabel('Operating system').fill(fields.os)
  }

  before(async () => {
    shots = artifactsDir('browser')
    stack = await Stack.create({ prefix: 'ck-browser-' })
    await stack.up()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  })
  after(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await browser?.close().catch(() => {})
    if (stack) {
      await stack.down().catch(() => {})
      stack.cleanup()
    }
  })

  it('home -> Request admittance -> form -> list -> Feed the server raises happiness', async (t) => {
    const page = await newPage(DESKTOP)
    await page.goto(`${stack.site}/`)
    assert.match(await page.title(), /Cuddle Kube/)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'A cosy home for servers who have given their all.')
    assert.ok(await page.locator('.hero-art img').evaluate((img) => img.complete && img.naturalWidth > 0), 'home picture loaded')
    await screenshot(page, 'desktop-1-home')

    await page.getByRole('main').getByRole('link', { name: 'Request admittance' }).click()
    await page.waitForURL(`${stack.site}/register`)
    await register(page, resident)
    await screenshot(page, 'desktop-2-register-filled')
    await page.getByRole('button', { name: 'Request admittance' }).click()
    await page.waitForURL(/\/list(#resident-[0-9a-f]{32})?$/)

    const card = page.locator('li.resident-card', { has: page.getByRole('heading', { name: resident.name }) })
    await card.waitFor()
    assert.equal(await card.count(), 1)
    assert.equal((await card.locator('.resident-name').textContent()).trim(), `${resident.name} (${resident.pet})`)
    assert.match(await card.locator('.resident-facts').innerText(), new RegExp(`${resident.type}[\\s\\S]*${resident.os}[\\s\\S]*${resident.age}`))
    const ckid = await card.locator('input[name="ckid"]').inputValue()
    assert.match(ckid, /^[0-9a-f]{32}$/)
    assert.equal(await card.getAttribute('id'), `resident-${ckid}`)
    assert.ok(await card.locator('img.resident-picture').evaluate((img) => img.complete && img.naturalWidth > 0), 'resident picture loaded')
    const meter = meterOf(page, ckid)
    assert.equal(await meter.getAttribute('aria-valuenow'), '5')
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'desktop-3-list-registered')

    for (const expected of ['6', '7']) {
      const fed = page.waitForResponse((response) => response.url() === `${stack.site}/feed`)
      await card.getByRole('button', { name: /Feed the server/ }).click()
      assert.equal((await fed).status(), 303)
      await page.locator(`#resident-${ckid} .happiness-meter[aria-valuenow="${expected}"]`).waitFor()
      assert.match(await meterOf(page, ckid).getAttribute('aria-valuetext'), new RegExp(`^${expected} of 10, `))
      assert.equal((await card.locator('.happiness-label strong').textContent()).trim(), `${expected}/10`)
    }
    assert.ok(page.url().endsWith(`/list#resident-${ckid}`), page.url())
    // The meter's fill really is wider at 7 than an empty meter would be.
    const fill = await card.locator('.happiness-fill').boundingBox()
    const bar = await meter.boundingBox()
    t.diagnostic(`happiness fill ${fill.width.toFixed(0)} of ${bar.width.toFixed(0)} px`)
    assert.ok(fill.width > 0.5 * bar.width && fill.width < bar.width, 'fill shows 7/10')
    await screenshot(page, 'desktop-4-list-fed')

    // The store agrees.
    const stored = (await stack.listApi()).find((item) => item.ckid === ckid)
    assert.equal(stored.happiness, 7)
  })

  it('a rejected form lists the reasons and keeps the input', async () => {
    const page = await newPage(DESKTOP)
    await page.goto(`${stack.site}/register`)
    await register(page, { name: `Half done ${unique}`, type: '', age: '3', pet: 'Halfie', os: '' })
    const answer = page.waitForResponse((response) => response.url() === `${stack.site}/register` && response.request().method() === 'POST')
    await page.getByRole('button', { name: 'Request admittance' }).click()
    assert.equal((await answer).status(), 422)
    const alert = page.getByRole('alert')
    await alert.waitFor()
    const reasons = (await alert.locator('li').allTextContents()).map((text) => text.trim()).sort()
    assert.deepEqual(reasons, ['os is required', 'type is required'])
    assert.equal(await page.getByLabel('Server name').inputValue(), `Half done ${unique}`)
    assert.equal(await page.getByLabel('Years in service').inputValue(), '3')
    assert.equal(await page.getByLabel('Pet name').inputValue(), 'Halfie')
    assert.equal(await page.getByLabel('Type').getAttribute('aria-invalid'), 'true')
    assert.equal(await page.getByLabel('Operating system').getAttribute('aria-invalid'), 'true')
    await screenshot(page, 'desktop-5-register-rejected')
  })

  it('HTML and script in server names do not execute', async () => {
    const page = await newPage(DESKTOP)
    const hostile = [`<img src=x onerror="window.__xss=1"> ${unique}`, `<script>window.__xss=2</script> ${unique}`]
    for (const name of hostile) {
      await page.goto(`${stack.site}/register`)
      await register(page, { name, type: 't2.nano', age: '1', pet: '<b onmouseover="window.__xss=3">pet</b>', os: 'linux' })
      await page.getByRole('button', { name: 'Request admittance' }).click()
      await page.waitForURL(/\/list/)
    }
    await page.goto(`${stack.site}/list`)
    for (const name of hostile) {
      const heading = page.locator('.resident-name', { hasText: unique }).filter({ hasText: name.slice(0, 8) })
      assert.equal(await heading.count(), 1, `one card for ${name}`)
      assert.equal((await heading.textContent()).trim(), `${name} (<b onmouseover="window.__xss=3">pet</b>)`, 'shown as text')
      await heading.hover()
    }
    // Nothing from the names became an element.
    assert.equal(await page.locator('main img[src="x"], main script, main b').count(), 0)
    assert.equal(await page.evaluate(() => window.__xss), undefined)
    assert.equal(await page.evaluate(() => document.scripts.length), 1)
    const cards = parseResidentCards(await page.content())
    assert.ok(cards.filter((card) => card.name.includes(unique)).length >= 3)
    await page.locator('.resident-card', { hasText: hostile[0].slice(0, 8) }).first().scrollIntoViewIfNeeded()
    await screenshot(page, 'desktop-6-list-hostile-names')
    assert.deepEqual(dialogs, [], 'no dialog opened')
  })

  it('on a 390 px phone the pages fit the screen', async () => {
    const page = await newPage(PHONE)
    for (const [pathname, name] of [['/', 'phone-1-home'], ['/register', 'phone-2-register'], ['/list', 'phone-3-list']]) {
      await page.goto(`${stack.site}${pathname}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(width <= 390, `${pathname} is ${width} px wide on a 390 px screen`)
      // The list is long on a phone: its shots show one screen.
      await screenshot(page, name, { fullPage: pathname !== '/list' })
    }
    // The feed button works on the phone too.
    const card = page.locator('li.resident-card', { has: page.getByRole('heading', { name: resident.name }) })
    const ckid = await card.locator('input[name="ckid"]').inputValue()
    const before = Number(await meterOf(page, ckid).getAttribute('aria-valuenow'))
    await card.getByRole('button', { name: /Feed the server/ }).tap()
    await page.locator(`#resident-${ckid} .happiness-meter[aria-valuenow="${before + 1}"]`).waitFor()
    await page.locator(`#resident-${ckid}`).scrollIntoViewIfNeeded()
    await screenshot(page, 'phone-4-list-fed', { fullPage: false })
  })

  it('no console errors, failed requests, dialogs or requests to other origins on any page', async (t) => {
    t.diagnostic(`screenshots in ${shots}`)
    assert.deepEqual(problems, [])
    assert.deepEqual(dialogs, [], 'no page opened a dialog')
  })
})
