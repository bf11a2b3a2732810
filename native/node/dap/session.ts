// One DAP client's session: a launch makes a sandbox for the guest and starts the call
// paused at its entry; the client's requests then step, continue and look inside it, one
// thread (the vCPU), until the call ends (`exited`, with the value's low 8 bits) or the
// client terminates it. Requests that read the guest are refused while it runs.
import {
  DebugSession as DapSession,
  ExitedEvent,
  InitializedEvent,
  InvalidatedEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

import type { DebugSession as DebuggedCall, Stop } from '../api/debug.js';
import { UsageError } from '../api/errors.js';
import type { Backend } from '../api/types.js';
import { parseArguments } from '../api/value_text.js';
import { disassemble } from './disassembly.js';
import { frameIndex, stackTrace } from './frames.js';
import { functionOf, launch, type Launched } from './launch.js';
import { parseLaunchArguments } from './launch_arguments.js';
import { parseMemoryReference, readReadable } from './memory.js';
import { hex } from './registers.js';
import { endText, exceptionInfo, exitCode, stoppedBody } from './stops.js';
import { VariableReferences } from './variable_references.js';

const kThread = 1;
const kFaultFilter = 'faults';

export interface SessionOptions {
  /** The guest's ELF by the launch's `guest` ("demo", "sqlite" or a path). */
  readGuest(name: string): Uint8Array;
  defaultBackend: Backend;
  /** After the client disconnects (or its connection closes) and the sandbox is freed. */
  ended(): void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class MicroscopeDebugSession extends DapSession {
  readonly #options: SessionOptions;
  readonly #references = new VariableReferences();
  #launched: Launched | undefined;
  /** The resume under way, if the guest runs. */
  #running: Promise<void> | undefined;
  /** A resume whose stop is the adapter's business (a restart or terminate stopping it), not the client's. */
  #quiet = false;
  #stop: Stop | undefined;
  #stopOnFaults = true;
  /** How much of the call's output the client has had. */
  #outputSent = 0;
  #ended = false;

  constructor(options: SessionOptions) {
    super();
    this.#options = options;
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ---- life cycle ----

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsExceptionInfoRequest: true,
      // In a call launched with "record": true; otherwise the requests say how to get it.
      supportsStepBack: true,
      supportsInstructionBreakpoints: false,
      exceptionBreakpointFilters: [
        { filter: kFaultFilter, label: 'CPU faults', description: 'Pause where the guest faults (#PF, #UD, #DE...)', default: true },
      ],
    };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, raw: DebugProtocol.LaunchRequestArguments): void {
    this.#answer(response, async () => {
      if (this.#launched) throw new Error('this session has launched its guest already');
      const args = parseLaunchArguments(raw, this.#options.defaultBackend);
      this.#launched = await launch(args, this.#options.readGuest(args.guest), this.#references);
      const sandbox = this.#launched.sandbox;
      this.#stop = this.#launched.call.stop;
      const reason = args.backend === 'auto' && sandbox.backendReason ? ` (${sandbox.backendReason})` : '';
      this.#output(`${this.#callText()} is paused at its entry, on the ${sandbox.backend} backend${reason}\n`, 'console');
      return undefined;
      // After the response: the sandbox is there for the breakpoints the client now sends.
    }).then((ok) => ok && this.sendEvent(new InitializedEvent()));
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    const launched = this.#launched;
    this.sendResponse(response);
    if (!launched) return;
    if (launched.arguments.stopOnEntry) this.#stopped(launched.call.stop);
    else this.#resume(() => launched.call.continue());
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.#answer(response, async () => {
      const launched = this.#require();
      const wanted = args?.arguments ? parseLaunchArguments(args.arguments, this.#options.defaultBackend) : launched.arguments;
      if (wanted.guest !== launched.arguments.guest || wanted.backend !== launched.arguments.backend) {
        throw new UsageError({ kind: 'usage', message: 'a restart keeps the guest and the backend: stop the session and launch again to change them' });
      }
      const fn = functionOf(launched.sandbox, wanted);
      const values = parseArguments(fn, wanted.args);
      await this.#halt();
      const same = fn.name === launched.fn.name && wanted.args.join('\0') === launched.arguments.args.join('\0');
      if (launched.call.active && same) {
        await launched.call.restart();
      } else {
        if (launched.call.active) launched.call.end();
        launched.call = await launched.sandbox.debug(fn.name, values, { record: launched.arguments.record });
      }
      launched.arguments = wanted;
      launched.fn = fn;
      this.#outputSent = 0;
      return undefined;
    }).then((ok) => {
      const launched = this.#launched;
      if (!ok || !launched) return;
      if (launched.arguments.stopOnEntry) this.#stopped(launched.call.stop);
      else this.#resume(() => launched.call.continue());
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.#answer(response, async () => {
      await this.#halt();
      if (this.#launched?.call.active) this.#launched.call.end();
      return undefined;
    }).then(() => this.sendEvent(new TerminatedEvent()));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    void this.#halt().then(() => {
      this.#dispose();
      this.sendResponse(response);
      this.shutdown();
    });
  }

  /** The connection closed or the client disconnected: free the sandbox, once. */
  override shutdown(): void {
    this.#dispose();
    if (this.#ended) return;
    this.#ended = true;
    this.#options.ended();
  }

  // ---- run control ----

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.#step(response, (call) => call.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.#step(response, (call) => (args.granularity === 'instruction' ? call.stepOver() : call.next()));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.#step(response, (call) => (args.granularity === 'instruction' ? call.stepInstruction() : call.stepIn()));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.#step(response, (call) => call.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.#stepBack(response, (call) => (args.granularity === 'instruction' ? call.stepBackOver() : call.stepBack()));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.#stepBack(response, (call) => call.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    if (this.#running) this.#launched?.call.pause();
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.#stopOnFaults = args.filters.includes(kFaultFilter);
    this.sendResponse(response);
  }

  // ---- breakpoints ----

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    this.#answer(response, () => ({ breakpoints: this.#require().breakpoints.setSource(args.source, args.breakpoints ?? []) }));
  }

  protected override setFunctionBreakPointsRequest(
    response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments,
  ): void {
    this.#answer(response, () => ({ breakpoints: this.#require().breakpoints.setFunctions(args.breakpoints) }));
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    this.#answer(response, () => this.#requireStopped().view.dataBreakpointInfo(args, frameIndex(args.frameId)));
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    this.#answer(response, () => ({ breakpoints: this.#require().breakpoints.setData(args.breakpoints) }));
  }

  // ---- looking inside ----

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.#launched ? [new Thread(kThread, this.#callText())] : [] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.#answer(response, () => stackTrace(this.#requireStopped().sandbox.backtrace(), args.startFrame, args.levels));
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.#answer(response, () => ({ scopes: this.#requireStopped().view.scopes(frameIndex(args.frameId)) }));
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.#answer(response, () => ({ variables: this.#requireStopped().view.variables(args.variablesReference) }));
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.#answer(response, () => {
      const body = this.#requireStopped().view.setVariable(args.variablesReference, args.name, args.value);
      // Other views may show the same memory or registers.
      this.sendEvent(new InvalidatedEvent(['variables']));
      return body;
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.#answer(response, () => this.#requireStopped().view.evaluate(args.expression, frameIndex(args.frameId)));
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.#answer(response, () => {
      this.#requireStopped();
      return exceptionInfo(this.#stop!);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.#answer(response, () => {
      const launched = this.#requireStopped();
      const address = parseMemoryReference(args.memoryReference, args.offset);
      const bytes = readReadable(launched.sandbox, address, args.count);
      return { address: hex(address), data: Buffer.from(bytes).toString('base64'), unreadableBytes: args.count - bytes.length };
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.#answer(response, () => {
      const launched = this.#requireStopped();
      const bytes = Buffer.from(args.data, 'base64');
      launched.sandbox.writeMemory(parseMemoryReference(args.memoryReference, args.offset), bytes);
      this.sendEvent(new InvalidatedEvent(['variables']));
      return { bytesWritten: bytes.length };
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.#answer(response, () => {
      const launched = this.#requireStopped();
      const base = parseMemoryReference(args.memoryReference, args.offset);
      return { instructions: disassemble(launched.sandbox, base, args.instructionOffset ?? 0, args.instructionCount) };
    });
  }

  // ---- helpers ----

  /** Sends the body `work` gives, or an error response with its message; resolves to whether it succeeded. */
  #answer<R extends DebugProtocol.Response>(response: R, work: () => R['body'] | Promise<R['body']>): Promise<boolean> {
    return (async () => {
      try {
        const body = await work();
        if (body !== undefined) response.body = body;
        this.sendResponse(response);
        return true;
      } catch (error) {
        const message = messageOf(error);
        // The message goes through a variable: DAP fills `{name}` in the format string, and
        // only from names that start with _ (the others could be personal data).
        this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: message }, showUser: true });
        return false;
      }
    })();
  }

  #require(): Launched {
    if (!this.#launched) throw new Error('no guest is launched: send a launch request first');
    return this.#launched;
  }

  #requireStopped(): Launched {
    const launched = this.#require();
    if (this.#running) throw new Error('the guest is running: pause it first');
    if (!launched.call.active) throw new Error(`${launched.fn.name} has ended: restart it to look inside`);
    return launched;
  }

  #callText(): string {
    const launched = this.#launched!;
    return `${launched.fn.name}(${launched.arguments.args.join(', ')})`;
  }

  #step(response: DebugProtocol.Response, how: (call: DebuggedCall) => Promise<Stop>): void {
    let launched: Launched;
    try {
      launched = this.#requireStopped();
    } catch (error) {
      this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: messageOf(error) }, showUser: true });
      return;
    }
    this.sendResponse(response);
    this.#resume(() => how(launched.call));
  }

  // Back in a recorded call: while it runs, and at the end of its recording.
  #stepBack(response: DebugProtocol.Response, how: (call: DebuggedCall) => Promise<Stop>): void {
    try {
      const launched = this.#require();
      if (this.#running) throw new Error('the guest is running: pause it first');
      if (!launched.call.recording) throw new Error('this call is not recorded: launch it with "record": true to step back');
      this.sendResponse(response);
      this.#resume(() => how(launched.call));
    } catch (error) {
      this.sendErrorResponse(response, { id: 1, format: '{_message}', variables: { _message: messageOf(error) }, showUser: true });
    }
  }

  /** `endOfRecording`: the run goes to a recorded call's last instruction, after its end. */
  #resume(run: () => Promise<Stop>, endOfRecording = false): void {
    this.#references.reset();
    this.#running = (async () => {
      let stop: Stop | undefined;
      try {
        stop = await run();
      } catch (error) {
        this.#output(`microscope: ${messageOf(error)}\n`, 'stderr');
      }
      this.#running = undefined;
      if (this.#quiet || !stop) return;
      if (stop.reason === 'fault' && !this.#stopOnFaults) {
        this.#flush(stop);
        this.#resume(() => this.#launched!.call.continue());
        return;
      }
      this.#stopped(stop, endOfRecording);
    })();
  }

  /** Ends the resume under way, if any, without telling the client it stopped. */
  async #halt(): Promise<void> {
    if (!this.#running) return;
    this.#quiet = true;
    this.#launched?.call.pause();
    await this.#running;
    this.#quiet = false;
  }

  #stopped(stop: Stop, endOfRecording = false): void {
    this.#stop = stop;
    this.#references.reset();
    this.#flush(stop);
    const launched = this.#launched!;
    if (stop.reason === 'exit' && launched.call.recording) {
      // The end of a recorded call: stopped on its last instruction (the return to the
      // engine), where stepping back starts; the session ends when the client stops it.
      this.#output(endText(launched.fn.name, stop), stop.error ? 'stderr' : 'console');
      this.#resume(() => launched.call.goTo(launched.call.recording!.end - 1), true);
      return;
    }
    if (stop.reason === 'exit') {
      this.#output(endText(launched.fn.name, stop), stop.error ? 'stderr' : 'console');
      this.sendEvent(new ExitedEvent(stop.error ? 1 : exitCode(stop.value)));
      this.sendEvent(new TerminatedEvent());
      return;
    }
    const event = new StoppedEvent('', kThread) as DebugProtocol.StoppedEvent;
    const body = endOfRecording
      ? { reason: 'end of recording', description: `${launched.fn.name} has ended: the end of its recording; step back to go back` }
      : stoppedBody(stop, launched.breakpoints);
    event.body = { ...event.body, ...body, threadId: kThread, allThreadsStopped: true };
    this.sendEvent(event);
  }

  /** The logpoints' messages and what the guest printed since the client last heard. */
  #flush(stop: Stop): void {
    for (const log of stop.logs ?? []) this.#output(log.text.endsWith('\n') ? log.text : `${log.text}\n`, 'console');
    const output = stop.output ?? '';
    if (output.length > this.#outputSent) {
      this.#output(output.slice(this.#outputSent), 'stdout');
      this.#outputSent = output.length;
    }
  }

  #output(text: string, category: 'console' | 'stdout' | 'stderr'): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  #dispose(): void {
    const launched = this.#launched;
    this.#launched = undefined;
    if (!launched) return;
    if (launched.call.active) launched.call.end();
    launched.sandbox.dispose();
  }
}
