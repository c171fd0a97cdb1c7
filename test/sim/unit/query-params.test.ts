import { decodeQueryParams, parseQueryResponse } from '../../../sim/front/codec';

describe('Codec: decodeQueryParams', () => {
  it('nests awsQuery members and turns member.N into arrays in index order', () => {
    const params = decodeQueryParams(
      Object.entries({
        Action: 'ModifyListener',
        'DefaultActions.member.1.Type': 'forward',
        'DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight': '0',
        'DefaultActions.member.1.ForwardConfig.TargetGroups.member.10.Weight': '5',
        'DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight': '100',
      }),
    );
    expect(params).toEqual({
      Action: 'ModifyListener',
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ Weight: '100' }, { Weight: '0' }, { Weight: '5' }] } }],
    });
  });

  it('reads EC2 flattened lists and SNS entry maps', () => {
    expect(decodeQueryParams([['InstanceId.2', 'i-2'], ['InstanceId.1', 'i-1']])).toEqual({ InstanceId: ['i-1', 'i-2'] });
    expect(decodeQueryParams([['Attributes.entry.1.key', 'DisplayName'], ['Attributes.entry.1.value', 'Ops']])).toEqual({ Attributes: { DisplayName: 'Ops' } });
  });

  it('is not polluted by prototype keys', () => {
    const params = decodeQueryParams([['__proto__.polluted', 'yes'], ['constructor.prototype.polluted', 'yes']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(params)).toContain('constructor');
  });
});

describe('Codec: parseQueryResponse', () => {
  it('reads the Result element, lists and the request id', () => {
    const xml =
      '<ModifyListenerResponse xmlns="x"><ModifyListenerResult><Listeners><member><Port>80</Port><AlpnPolicy/></member></Listeners></ModifyListenerResult>' +
      '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></ModifyListenerResponse>';
    expect(parseQueryResponse(xml)).toEqual({ result: { Listeners: [{ Port: '80', AlpnPolicy: '' }] }, requestId: 'r-1' });
  });

  it('reads Query and EC2 errors, and shrugs at non-XML', () => {
    expect(parseQueryResponse('<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>').error).toEqual({ code: 'Throttling', message: 'Rate exceeded' });
    expect(parseQueryResponse('<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>').error?.code).toBe('InvalidInstanceID.NotFound');
    expect(parseQueryResponse('<!doctype html><html><title>500</title></html>')).toEqual(expect.any(Object));
  });
});
