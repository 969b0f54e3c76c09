// The --talosconfig flag every talosconfig and talos command takes, located as talosctl does.
import {Flags} from '@oclif/core'

export const talosconfigFlag = Flags.string({description: 'talosconfig file (default: $TALOSCONFIG, $TALOS_HOME/config, ~/.talos/config)'})

/** For the commands that change one context's lists (endpoint, node). */
export const talosEditFlags = {
  context: Flags.string({description: 'context to change instead of the current one'}),
  talosconfig: talosconfigFlag,
}
