/** The events module: reading CloudTrail records of ELBv2 calls into typed changes. */
export * from './change';
export * from './cloudtrail-schema';
export { actorOf } from './actor';
export { isClassicLoadBalancerArn, listenerArnOfRule, loadBalancerArnOf, parseElbArn, targetGroupNameOf } from './arn';
export { extractRecords } from './extract-records';
export { parseChangeEvent } from './parse-change-event';
export { parseChangeRequest } from './parse-change-request';
export { touchedResources } from './touched-resources';
