/** verify's alert check: the shell-access alert the exec raised reaches its topic (a temporary SQS subscription, else the rule's metrics). */
import { GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { ConfirmSubscriptionCommand, SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { errorName } from "../aws.ts";
import { seconds, type VerifyRun } from "./context.ts";

export type AlertObservation = { kind: "queue"; queueUrl: string; topicArn: string } | { kind: "metrics"; why: string };

export async function prepareAlertObservation(run: VerifyRun): Promise<AlertObservation> {
  const { ctx: { clients, environment }, ctx, names, caller, account, partition, cleanups } = run;
  const topicArn = `arn:${partition}:sns:${environment.region}:${account}:${names.alertTopic}`;
  const queueName = `${environment.name}-verify-${ctx.newId()}`.slice(0, 80);
  const queueArn = `arn:${partition}:sqs:${environment.region}:${account}:${queueName}`;
  // SNS delivers to a queue whose policy lets sns.amazonaws.com send for this topic (SNS developer guide,
  // "Subscribing an Amazon SQS queue to an Amazon SNS topic").
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: queueArn, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } }],
  };
  let queueUrl: string;
  try {
    const created = (await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { Policy: JSON.stringify(policy), MessageRetentionPeriod: "3600" } }))) as { QueueUrl?: string };
    queueUrl = created.QueueUrl!;
  } catch (error) {
    return { kind: "metrics", why: `no temporary queue (${errorName(error)})` };
  }
  cleanups.push({
    action: `delete the temporary queue ${queueName}`,
    run: async () => {
      await clients.sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
      return "deleted";
    },
  });
  try {
    const subscribed = (await clients.sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: queueArn, ReturnSubscriptionArn: true }))) as { SubscriptionArn?: string };
    cleanups.push({
      action: `remove the temporary subscription of ${queueName} to ${names.alertTopic}`,
      run: async () => {
        await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subscribed.SubscriptionArn }));
        return "unsubscribed";
      },
    });
  } catch (error) {
    return { kind: "metrics", why: `${caller} may not subscribe to ${names.alertTopic} (${errorName(error)})` };
  }
  return { kind: "queue", queueUrl, topicArn };
}

export async function ruleMetrics(run: VerifyRun, since: number): Promise<{ invocations: number; failed: number } | undefined> {
  const { ctx: { clients, clock }, names } = run;
  const sum = async (metric: string) => {
    const stats = (await clients.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: "AWS/Events",
        MetricName: metric,
        Dimensions: [{ Name: "RuleName", Value: names.alertRule }],
        StartTime: new Date(since - 60_000),
        EndTime: new Date(clock.now() + 60_000),
        Period: 60,
        Statistics: ["Sum"],
      }),
    )) as { Datapoints?: { Sum?: number }[] };
    return (stats.Datapoints ?? []).reduce((total, d) => total + (d.Sum ?? 0), 0);
  };
  try {
    return { invocations: await sum("Invocations"), failed: await sum("FailedInvocations") };
  } catch {
    return undefined;
  }
}

export async function checkAlert(run: VerifyRun, observation: AlertObservation, since: number, runtimeArn: string): Promise<void> {
  const { ctx: { clients, clock }, options, record, names, pollMs, wait } = run;
  const deadline = since + options.alertWaitMs;
  if (observation.kind === "metrics") {
    // Without a subscription, the rule's metrics (AWS/Events, dimension RuleName) show whether it matched and
    // whether delivering to the topic failed; they do not show a subscriber receiving it.
    for (;;) {
      const metrics = await ruleMetrics(run, since);
      if (metrics && metrics.failed > 0) return record("alert-reaches-topic", "fail", `the rule ${names.alertRule} failed ${metrics.failed} of ${metrics.invocations} deliveries to the topic (${observation.why})`);
      if (metrics && metrics.invocations > 0) return record("alert-reaches-topic", "pass", `the rule ${names.alertRule} sent ${metrics.invocations} event(s) to the topic, none failed (CloudWatch metrics; ${observation.why}, so delivery to subscribers was not observed)`);
      if (clock.now() >= deadline) return record("alert-reaches-topic", metrics ? "fail" : "skipped", metrics ? `the rule ${names.alertRule} had not fired after ${seconds(options.alertWaitMs)} (${observation.why})` : `${observation.why}, and the rule's metrics could not be read`);
      await wait(Math.min(pollMs, Math.max(0, deadline - clock.now())));
    }
  }
  for (;;) {
    const received = (await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: observation.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: Math.min(20, Math.max(0, Math.floor((deadline - clock.now()) / 1000))) }))) as {
      Messages?: { Body?: string; ReceiptHandle?: string }[];
    };
    for (const message of received.Messages ?? []) {
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: observation.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      let envelope: { Type?: string; Token?: string; Message?: string };
      try {
        envelope = JSON.parse(message.Body ?? "{}") as typeof envelope;
      } catch {
        continue;
      }
      if (envelope.Type === "SubscriptionConfirmation" && envelope.Token !== undefined) {
        await clients.sns.send(new ConfirmSubscriptionCommand({ TopicArn: observation.topicArn, Token: envelope.Token }));
        continue;
      }
      if (envelope.Type === "Notification" && String(envelope.Message).includes("InvokeAgentRuntimeCommand") && String(envelope.Message).includes(runtimeArn)) {
        return record("alert-reaches-topic", "pass", `reached the topic ${seconds(clock.now() - since)} after the command: ${String(envelope.Message).slice(0, 160)}`);
      }
    }
    if (clock.now() >= deadline) {
      const metrics = await ruleMetrics(run, since);
      const explain =
        metrics === undefined ? "" : metrics.failed > 0 ? `; the rule failed ${metrics.failed} deliveries to the topic (check the topic's key policy)` : metrics.invocations === 0 ? "; the rule has not fired (check the trail's selectors)" : `; the rule fired ${metrics.invocations} time(s)`;
      return record("alert-reaches-topic", "fail", `no alert reached the topic within ${seconds(options.alertWaitMs)} of the command${explain}`);
    }
    await wait(Math.min(pollMs, Math.max(0, deadline - clock.now())));
  }
}
