import { Controller, Get, Header, HttpCode } from '@nestjs/common';

/** Answers `/` when the inspector bundle has not been built; the built bundle is served as static files before this. */
@Controller()
export class InspectorController {
  @Get()
  @HttpCode(503)
  @Header('content-type', 'text/plain; charset=utf-8')
  notBuilt(): string {
    return 'The stage inspector is not built. Run `npm run build` (npm start does it for you).\n';
  }
}
