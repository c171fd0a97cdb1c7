import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ElbWatchdogForwarder, type ElbWatchdogForwarderProps } from './elb-watchdog-forwarder';

/** Props of the member-account stack. */
export interface ElbWatchdogForwarderStackProps extends StackProps {
  /** The forwarder's props. */
  readonly forwarder: ElbWatchdogForwarderProps;
}

/** The ready-made stack for a member account: one `ElbWatchdogForwarder`. */
export class ElbWatchdogForwarderStack extends Stack {
  /** The forwarder. */
  public readonly forwarder: ElbWatchdogForwarder;

  constructor(scope: Construct, id: string, props: ElbWatchdogForwarderStackProps) {
    super(scope, id, { description: 'ELB Watchdog member account: forwards ELBv2 changes to the central watchdog, revert role', ...props });
    this.forwarder = new ElbWatchdogForwarder(this, 'Forwarder', props.forwarder);
  }
}
