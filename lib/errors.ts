/** Errors a service throws on purpose; the message is shown to the user as is. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(message = '记录不存在或不在您的管辖范围内') {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = '您没有执行此操作的权限') {
    super(message);
  }
}

export class ConflictError extends DomainError {}

export class ValidationError extends DomainError {}
