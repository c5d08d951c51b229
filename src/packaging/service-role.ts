/** An IAM role that the AWS service `principal` (`lambda.amazonaws.com`) assumes, with one inline policy. */
export function serviceRole(principal: string, policyName: string, statements: unknown[]): unknown {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: principal }, Action: 'sts:AssumeRole' }],
      },
      Policies: [{ PolicyName: policyName, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}
