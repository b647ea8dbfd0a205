import { expect, test } from '@playwright/test'
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../../src-shared/security/csp'
import { e2eState } from './state'

test('without the printed token the app explains what to do and the API stays closed', async ({ page }) => {
  const base = e2eState().demoUrl.replace(/#.*$/, '')
  await page.goto(base)
  await expect(page.getByText('Adresse incomplète')).toBeVisible()
  const status = await page.evaluate(async () => {
    const res = await fetch('/api/rpc/cases:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}'
    })
    return res.status
  })
  expect(status).toBe(401)
})

test('the built page carries the strict CSP and the server sends it too', async ({ page }) => {
  const base = e2eState().demoUrl.replace(/#.*$/, '')
  const response = await page.goto(base)
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER)
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(meta).toBe(CONTENT_SECURITY_POLICY)
})

test('another site cannot call the API, even with the right path', async ({ page, request }) => {
  const state = e2eState()
  const base = state.demoUrl.replace(/#.*$/, '')
  const token = /token=([^&]+)/.exec(state.demoUrl)![1]!
  const foreign = await request.post(`${base}api/rpc/app:info`, {
    headers: { 'content-type': 'application/json', 'x-recouvra-token': token, origin: 'https://evil.example' },
    data: {}
  })
  expect(foreign.status()).toBe(403)
  const own = await request.post(`${base}api/rpc/app:info`, {
    headers: { 'content-type': 'application/json', 'x-recouvra-token': token },
    data: {}
  })
  expect(own.status()).toBe(200)
  void page
})
