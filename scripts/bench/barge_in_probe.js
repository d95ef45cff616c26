// Page-side probe for scripts/bench/barge_in.py, injected before the page's own scripts (Playwright
// add_init_script). It watches from outside the product: nothing here changes what the page does.
//   - raw speech onset: an AnalyserNode on the page's own microphone MediaStream (on the
//     source node the page creates for it), independent of the product's VAD;
//   - audio stopped: AudioScheduledSourceNode.stop() calls (the product's stop path is synchronous
//     from the VAD's decision to this call) and the node's 'ended' event (the audio thread stopped);
//   - lips stopped: after each requestAnimationFrame callback, the avatar's frame counter and its
//     viseme weights (window.__avatarDebug, the read-only diagnostics) — the first avatar frame
//     after the stop that renders no viseme;
//   - keydown timeStamps (typed barge-in), `barge_in` frames sent, and which capture node the
//     microphone uses (the page's CSP decides between AudioWorklet and ScriptProcessorNode).
(() => {
  const THRESHOLD = 0.003; // |sample| above this (-50 dBFS, the VAD's floor) is speech; the lead-in is silence
  const QUIET_MS = 300; // this much quiet arms the detector for the next onset
  const bench = { onsets: [], stops: [], keydowns: [], bargeIns: [], capture: 'AudioWorklet', frames: [], quietPeak: 0, watching: false, lastFrames: -1 };
  Object.defineProperty(window, '__bargeBench', { value: bench });

  // The analyser joins the page's own capture graph (same AudioContext, same source node), so its
  // samples arrive on the same audio thread as the product's capture node's.
  const createSource = AudioContext.prototype.createMediaStreamSource;
  AudioContext.prototype.createMediaStreamSource = function sourceAndWatch(stream) {
    const source = createSource.call(this, stream);
    bench.sampleRate = this.sampleRate;
    watchOnsets(this, source, stream);
    return source;
  };

  function watchOnsets(context, source, stream) {
    const analyser = context.createAnalyser();
    // The longest window (0.68 s at 48 kHz): a poll the busy main thread runs late still finds
    // the onset inside it.
    analyser.fftSize = 32768;
    source.connect(analyser);
    // Pulled through a muted gain to the output: an analyser nothing pulls may see only zeros.
    const mute = context.createGain();
    mute.gain.value = 0;
    analyser.connect(mute).connect(context.destination);
    const samples = new Float32Array(analyser.fftSize);
    let quietMs = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      if (!stream.active || context.state === 'closed') { clearInterval(timer); return; }
      const now = performance.now();
      analyser.getFloatTimeDomainData(samples);
      // Only the samples that arrived since the last poll (and a margin) are new.
      const fresh = Math.min(samples.length, Math.ceil(((now - last + 50) / 1000) * context.sampleRate));
      let first = -1;
      let peak = 0;
      for (let i = samples.length - fresh; i < samples.length; i += 1) {
        const value = Math.abs(samples[i]);
        if (value >= THRESHOLD) { first = i; break; }
        if (value > peak) peak = value;
      }
      const elapsed = now - last;
      last = now;
      if (first < 0) { quietMs += elapsed; bench.quietPeak = Math.max(bench.quietPeak, peak); return; }
      if (quietMs < QUIET_MS) { quietMs = 0; return; }
      quietMs = 0;
      // The window ends at the newest sample: back-date to the first loud one.
      const at = now - ((samples.length - first) / context.sampleRate) * 1000;
      const audio = window.__avatarDebug?.audio();
      bench.onsets.push({ at, detectedAt: now, speaking: !!audio?.speaking, audible: !!audio?.audible });
    }, 5);
  }

  const stop = AudioScheduledSourceNode.prototype.stop;
  AudioScheduledSourceNode.prototype.stop = function stopAndNote(...args) {
    const entry = { at: performance.now(), endedAt: null };
    bench.stops.push(entry);
    this.addEventListener('ended', () => { entry.endedAt = performance.now(); }, { once: true });
    return stop.apply(this, args);
  };

  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function sendAndNote(data) {
    if (typeof data === 'string' && data.includes('"barge_in"')) bench.bargeIns.push(performance.now());
    return send.call(this, data);
  };
  const createScriptProcessor = BaseAudioContext.prototype.createScriptProcessor;
  BaseAudioContext.prototype.createScriptProcessor = function noteCapture(...args) {
    bench.capture = 'ScriptProcessorNode';
    return createScriptProcessor.apply(this, args);
  };

  window.addEventListener('keydown', (event) => bench.keydowns.push({ at: event.timeStamp }), true);

  const afterCallback = () => {
    if (!bench.watching) return;
    const avatar = window.__avatarDebug?.avatar();
    if (!avatar || avatar.frames === bench.lastFrames) return;
    bench.lastFrames = avatar.frames;
    const mouth = Object.keys(avatar.weights).filter((key) => key.startsWith('viseme_')).length;
    bench.frames.push({ at: performance.now(), viseme: avatar.viseme, mouth });
    if (bench.frames.length > 2000) bench.frames.splice(0, 1000);
  };
  const requestFrame = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) => requestFrame((time) => {
    try { callback(time); } finally { afterCallback(); }
  });
})();
