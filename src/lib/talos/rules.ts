// machined's authorization rules (Talos API method -> roles allowed), per Talos minor version.
// Methods missing from the table are admin-only (machined's fallback role set is {os:admin}).

export const TALOS_VERSIONS = ['1.12', '1.13', '1.14'] as const
export type TalosVersion = (typeof TALOS_VERSIONS)[number]
export const DEFAULT_TALOS_VERSION: TalosVersion = '1.14'

const A = 'os:admin'
const O = 'os:operator'
const R = 'os:reader'
const E = 'os:etcd:backup'
const IV = 'os:image:verifier'
const MW = 'os:meta:writer'

export interface MethodRule {
  method: string
  roles: string[]
  /** os:reader is listed only for maintenance mode; outside it the handler requires os:admin. */
  readerOnlyInMaintenance?: boolean
  /** Every write verb through the COSI API is refused whatever the role. */
  writeBlocked?: boolean
  /** Resource types marked Sensitive need os:admin even for reads. */
  sensitiveNeedsAdmin?: boolean
  controlPlaneOnly?: boolean
}

interface Entry extends MethodRule {
  since?: TalosVersion
  /** Last version that has the method. */
  until?: TalosVersion
  /** Roles in versions before `changedIn` (when the list grew). */
  before?: {changedIn: TalosVersion; roles: string[]; readerOnlyInMaintenance?: boolean}
}

const machine = (names: string[], roles: string[], extra: Partial<Entry> = {}): Entry[] =>
  names.map((n) => ({method: `/machine.MachineService/${n}`, roles, ...extra}))

const ENTRIES: Entry[] = [
  ...machine(['ApplyConfiguration'], [A, R], {before: {changedIn: '1.13', roles: [A]}, readerOnlyInMaintenance: true}),
  ...machine(['Bootstrap', 'Copy', 'EtcdForfeitLeadership', 'EtcdLeaveCluster', 'EtcdRecover', 'EtcdRemoveMemberByID',
    'EtcdDowngradeCancel', 'EtcdDowngradeEnable', 'EtcdDowngradeValidate', 'Kubeconfig', 'Read', 'Reset', 'Rollback',
    'Upgrade'], [A]),
  ...machine(['GenerateClientConfiguration'], [A], {controlPlaneOnly: true}),
  {method: '/machine.MachineService/GenerateConfiguration', roles: [A], until: '1.12'},
  ...machine(['CPUInfo', 'CPUFreqStats', 'Containers', 'DiskStats', 'DiskUsage', 'Dmesg', 'Events', 'Hostname',
    'ImageList', 'List', 'LoadAvg', 'Memory', 'Mounts', 'Logs', 'LogsContainers', 'NetworkDeviceStats', 'Netstat',
    'Processes', 'ServiceList', 'Stats', 'SystemStat', 'Version'], [A, O, R]),
  ...machine(['EtcdAlarmList', 'EtcdMemberList', 'EtcdStatus'], [A, O, R, E]),
  ...machine(['EtcdAlarmDisarm', 'EtcdDefragment', 'ImagePull', 'PacketCapture', 'Reboot', 'Restart', 'Shutdown',
    'ServiceRestart', 'ServiceStart', 'ServiceStop'], [A, O]),
  ...machine(['EtcdSnapshot'], [A, O, E]),
  ...machine(['MetaWrite', 'MetaDelete'], [A, MW], {before: {changedIn: '1.13', roles: [A]}}),
  {method: '/machine.ImageService/List', roles: [A, O, R], since: '1.13'},
  {method: '/machine.ImageService/Pull', roles: [A, O], since: '1.13'},
  {method: '/machine.ImageService/Import', roles: [A], since: '1.13'},
  {method: '/machine.ImageService/Remove', roles: [A], since: '1.13'},
  {method: '/machine.ImageService/Verify', roles: [A, O, R, IV], since: '1.13'},
  {method: '/machine.DebugService/ContainerRun', roles: [A], since: '1.13'},
  {method: '/machine.LifecycleService/Install', roles: [A], since: '1.13'},
  {method: '/machine.LifecycleService/Upgrade', roles: [A], since: '1.13'},
  {method: '/machine.StorageService/Statfs', roles: [A, O, R], since: '1.14'},
  {method: '/storage.StorageService/Disks', roles: [A, O, R]},
  ...['/storage.StorageService/BlockDeviceWipe', '/machine.LVMService/LogicalVolumeRemove',
    '/machine.LVMService/VolumeGroupRemove', '/machine.LVMService/PhysicalVolumeRemove', '/machine.MDService/Destroy',
  ].map((method) => ({method, readerOnlyInMaintenance: true, roles: [A, R], before: {changedIn: '1.13' as const, roles: [A]}})),
  ...['Get', 'List', 'Watch'].map((n) => ({method: `/cosi.resource.State/${n}`, roles: [A, O, R], sensitiveNeedsAdmin: true})),
  ...['Create', 'Update', 'Destroy', 'Teardown', 'TeardownAndDestroy'].map((n) => ({
    method: `/cosi.resource.State/${n}`, roles: [A], writeBlocked: true,
  })),
  {method: '/time.TimeService/Time', roles: [A, O, R]},
  {method: '/time.TimeService/TimeCheck', roles: [A, O, R]},
  {method: '/inspect.InspectService/ControllerRuntimeDependencies', roles: [A, O, R]},
  {method: '/cluster.ClusterService/HealthCheck', roles: [A, O, R], controlPlaneOnly: true},
]

const order = (v: TalosVersion) => TALOS_VERSIONS.indexOf(v)

/** The rules table as machined has it in `version`. */
export function rulesFor(version: TalosVersion): MethodRule[] {
  return ENTRIES.filter((e) => (!e.since || order(version) >= order(e.since)) && (!e.until || order(version) <= order(e.until)))
    .map(({before, since: _s, until: _u, ...rule}) =>
      before && order(version) < order(before.changedIn)
        ? {...rule, readerOnlyInMaintenance: before.readerOnlyInMaintenance, roles: before.roles}
        : rule,
    )
    .map((rule) => (version === '1.12' ? {...rule, roles: rule.roles.filter((r) => r !== IV && r !== MW)} : rule))
}
