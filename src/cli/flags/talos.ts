// The --talosconfig flag every talosconfig and talos command takes, located as talosctl does.
import {Flags} from '@oclif/core'

export const talosconfigFlag = Flags.string({description: 'talosconfig file (default: $TALOSCONFIG, $TALOS_HOME/config, ~/.talos/config)'})
