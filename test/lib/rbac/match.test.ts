import assert from 'node:assert/strict'

import {ruleAllows} from '../../../src/lib/rbac/match.js'
import type {Attributes} from '../../../src/lib/rbac/types.js'
import type {PolicyRule} from '../../../src/lib/api/rbac.js'

type Req = Omit<Attributes, 'user'>
const res = (verb: string, group: string, resource: string, extra: Partial<Req> = {}): Req => ({apiGroup: group, resource, resourceRequest: true, verb, ...extra})
const path = (verb: string, p: string): Req => ({path: p, resourceRequest: false, verb})

const table: Array<[string, PolicyRule, Req, boolean]> = [
  ['verb equal', {apiGroups: [''], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods'), true],
  ['verb differs', {apiGroups: [''], resources: ['pods'], verbs: ['get']}, res('list', '', 'pods'), false],
  ['verb *', {apiGroups: [''], resources: ['pods'], verbs: ['*']}, res('delete', '', 'pods'), true],
  ['group differs', {apiGroups: ['apps'], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods'), false],
  ['group *', {apiGroups: ['*'], resources: ['deployments'], verbs: ['get']}, res('get', 'apps', 'deployments'), true],
  ['no apiGroups matches nothing', {resources: ['pods'], verbs: ['get']}, res('get', '', 'pods'), false],
  ['resource *', {apiGroups: [''], resources: ['*'], verbs: ['get']}, res('get', '', 'secrets'), true],
  ['resource * covers subresources', {apiGroups: [''], resources: ['*'], verbs: ['get']}, res('get', '', 'pods', {subresource: 'log'}), true],
  ['pods does not cover pods/log', {apiGroups: [''], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods', {subresource: 'log'}), false],
  ['pods/log covers pods/log', {apiGroups: [''], resources: ['pods/log'], verbs: ['get']}, res('get', '', 'pods', {subresource: 'log'}), true],
  ['pods/log does not cover pods', {apiGroups: [''], resources: ['pods/log'], verbs: ['get']}, res('get', '', 'pods'), false],
  ['*/scale covers deployments/scale', {apiGroups: ['*'], resources: ['*/scale'], verbs: ['update']}, res('update', 'apps', 'deployments', {subresource: 'scale'}), true],
  ['*/scale does not cover deployments', {apiGroups: ['*'], resources: ['*/scale'], verbs: ['update']}, res('update', 'apps', 'deployments'), false],
  ['*/scale does not cover */status', {apiGroups: ['*'], resources: ['*/scale'], verbs: ['update']}, res('update', 'apps', 'deployments', {subresource: 'status'}), false],
  ['*/scale does not cover a longer subresource', {apiGroups: ['*'], resources: ['*/scale'], verbs: ['get']}, res('get', '', 'x', {subresource: 'rescale'}), false],
  ['resourceNames match', {apiGroups: [''], resourceNames: ['web'], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods', {name: 'web'}), true],
  ['resourceNames other name', {apiGroups: [''], resourceNames: ['web'], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods', {name: 'db'}), false],
  ['resourceNames and no name (list/can-i)', {apiGroups: [''], resourceNames: ['web'], resources: ['pods'], verbs: ['list']}, res('list', '', 'pods'), false],
  ['empty resourceNames any name', {apiGroups: [''], resources: ['pods'], verbs: ['get']}, res('get', '', 'pods', {name: 'x'}), true],
  ['resource rule never matches a path', {apiGroups: ['*'], resources: ['*'], verbs: ['*']}, path('get', '/healthz'), false],
  ['url exact', {nonResourceURLs: ['/healthz'], verbs: ['get']}, path('get', '/healthz'), true],
  ['url verb differs', {nonResourceURLs: ['/healthz'], verbs: ['get']}, path('post', '/healthz'), false],
  ['url *', {nonResourceURLs: ['*'], verbs: ['*']}, path('post', '/anything'), true],
  ['url glob prefix', {nonResourceURLs: ['/apis/*'], verbs: ['get']}, path('get', '/apis/apps/v1'), true],
  ['url glob trailing slash', {nonResourceURLs: ['/apis/*'], verbs: ['get']}, path('get', '/apis/'), true],
  ['url glob does not cover the bare prefix', {nonResourceURLs: ['/apis/*'], verbs: ['get']}, path('get', '/apis'), false],
  ['url glob without slash', {nonResourceURLs: ['/healthz*'], verbs: ['get']}, path('get', '/healthzfoo'), true],
  ['url rule never matches a resource', {nonResourceURLs: ['*'], verbs: ['*']}, res('get', '', 'pods'), false],
]

describe('rbac rule matching (RuleAllows)', () => {
  for (const [name, rule, request, expected] of table) {
    it(`${name} → ${expected}`, () => assert.equal(ruleAllows(request, rule), expected))
  }
})
