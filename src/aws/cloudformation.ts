import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import type { StackFacts, StackResource } from '../config/stack-rules.js';
import { clientConfig } from './client-config.js';
import { callAws } from './errors.js';

/**
 * Reads CloudFormation stacks for the names an environment takes from them. Used at packaging and
 * in local mode only: no Lambda reads a stack, so no function role has CloudFormation permissions.
 */
export function createCloudFormationAdapter(client: CloudFormationClient = new CloudFormationClient(clientConfig)) {
  /** A stack's status, parameters, outputs and every resource; undefined when there is no such stack. */
  async function readStack(name: string): Promise<StackFacts | undefined> {
    const described = await callAws('cloudformation:DescribeStacks', `stack ${name}`, async () => {
      try {
        return await client.send(new DescribeStacksCommand({ StackName: name }));
      } catch (error) {
        // CloudFormation answers a missing stack with a ValidationError "Stack with id X does not exist".
        if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
        throw error;
      }
    });
    const stack = described?.Stacks?.[0];
    if (!stack) return undefined;
    return {
      name,
      status: stack.StackStatus ?? '',
      parameters: Object.fromEntries(
        (stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']),
      ),
      outputs: (stack.Outputs ?? []).map((output) => ({
        key: output.OutputKey ?? '',
        value: output.OutputValue ?? '',
        exportName: output.ExportName,
      })),
      resources: await listResources(name),
    };
  }

  /** Every resource of the stack, page by page (100 a page). */
  async function listResources(name: string): Promise<StackResource[]> {
    const summaries: StackResourceSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await callAws('cloudformation:ListStackResources', `stack ${name}`, () =>
        client.send(new ListStackResourcesCommand({ StackName: name, NextToken: nextToken })),
      );
      summaries.push(...(page.StackResourceSummaries ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return summaries.flatMap((summary) =>
      summary.LogicalResourceId && summary.ResourceType && summary.PhysicalResourceId
        ? [{ logicalId: summary.LogicalResourceId, type: summary.ResourceType, physicalId: summary.PhysicalResourceId }]
        : [],
    );
  }

  return { readStack };
}

export type CloudFormationAdapter = ReturnType<typeof createCloudFormationAdapter>;
