import { afterAll, beforeAll, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { buildFixtureIndex, type FixtureIndex } from '../helpers/build-fixture-index.ts';
import { useOpenAITestServer } from '../mocks/openai-server.ts';
import { appDeps, llmAnswerDeps, memoryLogger, modelReply, type ChatBody } from './support.ts';
const openai = useOpenAITestServer();
let fixture: FixtureIndex;
beforeAll(async () => { fixture = await buildFixtureIndex(); });
afterAll(() => fixture?.dispose());
it('debug', async () => {
  const logger = memoryLogger();
  const app = createApp(appDeps(fixture.index, { answer: llmAnswerDeps(), logger }));
  openai.on<ChatBody>('/chat/completions', ({ request, body }) => modelReply(request, body, ['Side projects let you ', 'practise product skills [1].']));
  for (const q of ['How do I move from sales into product?', 'What side project should I build?']) {
    const res = await app.request('/ask', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify({ question: q }) });
    console.log(res.status, (await res.text()).replace(/data: \[\{.*\n/, 'data: [citations]\n'), logger.lines);
  }
}, 30000);
